using Sandbox.Cli;
using Sandbox.Server.Tests.Infrastructure;

namespace Sandbox.Server.Tests.Cli;

/// <summary><c>sandbox run</c>: the engine in process, no server.</summary>
public sealed class RunCommandTests
{
    [WabtFact]
    public async Task Run_StartFunctionNeverReturnsWithTimeout_ReportsTheInterruptedTrap()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("sandbox-run-").FullName, "endless-start.wasm");
        await File.WriteAllBytesAsync(file, Wat.Compile("""
            (module
              (func $start (loop (br 0)))
              (func (export "_start"))
              (start $start))
            """));
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            // A generous bound: without the timeout reaching the start function, this would never end.
            var run = SandboxCli.RunAsync(["run", "--timeout", "200ms", file], output, error);
            var exitCode = await run.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.NotEqual(0, exitCode);
            Assert.Contains("interrupted", error.ToString(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }
}

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

    [WabtFact]
    public async Task Run_V128ArgumentInLanes_PrintsHexOrLanes()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("sandbox-run-").FullName, "v128.wasm");
        await File.WriteAllBytesAsync(file, Wat.Compile("""
            (module (func (export "add1") (param v128) (result v128) (i32x4.add (local.get 0) (v128.const i32x4 1 1 1 1))))
            """));
        try
        {
            using var hex = new StringWriter();
            using var lanes = new StringWriter();
            using var error = new StringWriter();

            var hexExit = await SandboxCli.RunAsync(["run", file, "--invoke", "add1", "i32x4:1,2,3,-1"], hex, error);
            var lanesExit = await SandboxCli.RunAsync(["run", file, "--invoke", "add1", "--lanes", "i32x4", "ffffffff000000000000000000000000"], lanes, error);

            Assert.Equal(0, hexExit);
            Assert.Equal(0, lanesExit);
            Assert.Equal("v128:02000000030000000400000000000000", hex.ToString().Trim());
            Assert.Equal("i32x4:0,1,1,1", lanes.ToString().Trim());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }
}

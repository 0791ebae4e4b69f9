using Sandbox.Cli;
using Sandbox.Server.Tests.Infrastructure;

namespace Sandbox.Server.Tests.EndToEnd;

/// <summary>The CLI's output for answers the real service cannot give yet, from <see cref="ScriptedSandboxService"/>.</summary>
public sealed class CliScriptedTests : IAsyncLifetime
{
    private StandInServer? server;

    public async Task InitializeAsync() => server = await StandInServer.StartAsync(new ScriptedSandboxService());

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Invoke_Results_PrintedOnePerLineAsTypedValues()
    {
        // The scripted Invoke returns its arguments, so the output is the input, normalized.
        var (exitCode, output, _) = await RunAsync("--timeout", "10s", "invoke", "instance", "echo", "i32:0xFFFFFFFF", "f32:-nan:0x1", "f64:-0", "externref:null");

        Assert.Equal(0, exitCode);
        Assert.Equal(["i32:-1", "f32:-nan:0x1", "f64:-0", "externref:null"], Lines(output));
    }

    [Fact]
    public async Task Invoke_Json_PrintsBitPatternsAsProtoJson()
    {
        var (exitCode, output, _) = await RunAsync("--json", "--timeout", "10s", "invoke", "instance", "echo", "f32:nan:0x1");

        Assert.Equal(0, exitCode);
        Assert.Contains("\"f32\": 2139095041", output); // 0x7F800001
    }

    [Fact]
    public async Task WatchMetrics_Count_StopsAfterThatManySamplesAndExitsZero()
    {
        var (exitCode, output, error) = await RunAsync("--json", "watch-metrics", "--count", "2");

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        var lines = Lines(output);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"tenantId\": \"0\"", lines[0]);
        Assert.Contains("\"tenantId\": \"1\"", lines[1]);
    }

    [Fact]
    public async Task WatchMetrics_TimeoutEnds_ExitsZero()
    {
        var (exitCode, output, error) = await RunAsync("--timeout", "300ms", "watch-metrics");

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        Assert.Contains("tenant 0", output);
    }

    [Fact]
    public async Task Execute_TimeoutPasses_FailsWithDeadlineExceeded()
    {
        var (exitCode, _, error) = await RunAsync("--timeout", "200ms", "execute", new string('0', 64), "spin");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("sandbox: DeadlineExceeded", error);
    }

    [Fact]
    public async Task ReadMemory_Range_PrintsAHexDump()
    {
        // The scripted memory's byte at offset i is i.
        var (exitCode, output, _) = await RunAsync("--timeout", "10s", "read-memory", "instance", "0x10", "20");

        Assert.Equal(0, exitCode);
        Assert.Equal(
            [
                "00000010  10 11 12 13 14 15 16 17  18 19 1a 1b 1c 1d 1e 1f  |................|",
                "00000020  20 21 22 23                                       | !\"#|",
            ],
            Lines(output));
    }

    [Fact]
    public async Task ReadMemory_Out_WritesTheRawBytes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sandbox-read-{Guid.NewGuid():N}.bin");
        try
        {
            var (exitCode, _, _) = await RunAsync("--timeout", "10s", "read-memory", "instance", "250", "10", "--out", path);

            Assert.Equal(0, exitCode);
            Assert.Equal(new byte[] { 250, 251, 252, 253, 254, 255, 0, 1, 2, 3 }, await File.ReadAllBytesAsync(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await SandboxCli.RunAsync(["--address", server!.Address, .. args], output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
}

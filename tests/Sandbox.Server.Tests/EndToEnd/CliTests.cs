using System.Net;
using System.Net.Sockets;
using Sandbox.Cli;
using Sandbox.Server.Tests.Infrastructure;

namespace Sandbox.Server.Tests.EndToEnd;

/// <summary>The <c>sandbox</c> CLI's entry point, run in process against the real server.</summary>
[Collection(ServerCollection.Name)]
public sealed class CliTests(SandboxServerFixture fixture)
{
    [Fact]
    public async Task Health_RunningServer_PrintsServingAndExitsZero()
    {
        var (exitCode, output, error) = await RunAsync("--address", fixture.Address, "--timeout", "10s", "health");

        Assert.Equal(0, exitCode);
        Assert.Equal("SERVING", output.Trim());
        Assert.Empty(error);
    }

    [Fact]
    public async Task Health_Json_PrintsTheResponseAsJson()
    {
        var (exitCode, output, _) = await RunAsync("--address", fixture.Address, "--json", "health");

        Assert.Equal(0, exitCode);
        Assert.Equal("{ \"status\": \"SERVING\" }", output.Trim());
    }

    [Fact]
    public async Task Invoke_UnknownInstance_PrintsStatusOnStderrWithoutStackTrace()
    {
        var (exitCode, output, error) = await RunAsync("--address", fixture.Address, "invoke", "some-instance", "add", "i32:1", "i32:2");

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("sandbox: NotFound: instance some-instance not found", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task Invoke_ArgumentNotAValue_FailsNamingTheArgument()
    {
        var (exitCode, _, error) = await RunAsync("--address", fixture.Address, "invoke", "some-instance", "add", "i32:x");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("'x' is not an i32", error);
    }

    [Fact]
    public async Task Health_NothingListening_FailsWithoutStackTrace()
    {
        var (exitCode, _, error) = await RunAsync("--address", $"http://127.0.0.1:{ClosedPort()}", "--timeout", "10s", "health");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("sandbox: ", error);
        Assert.DoesNotContain("   at ", error);
    }

    [WabtFact]
    public async Task Execute_WasiOptions_PassesStdinAndFilesPrintsOutputWritesFilesAndExitsWithTheCode()
    {
        var temp = Directory.CreateTempSubdirectory("sandbox-cli-wasi-").FullName;
        try
        {
            var module = Path.Combine(temp, "tools.wasm");
            File.WriteAllBytes(module, Service.WasiModules.Compile());
            var stdin = Path.Combine(temp, "stdin.txt");
            File.WriteAllText(stdin, "from stdin");
            var input = Path.Combine(temp, "input.txt");
            File.WriteAllText(input, "input");
            var outputs = Path.Combine(temp, "out");

            var (catCode, catOutput, catError) = await RunAsync("--address", fixture.Address, "execute", module, "--stdin", stdin);
            var (touchCode, _, _) = await RunAsync("--address", fixture.Address, "execute", module, "touch",
                "--file", "data/in.txt=" + input, "--output", "out.txt", "--output", "data/", "--output-dir", outputs);
            var exitFile = Path.Combine(temp, "exit.bin");
            File.WriteAllBytes(exitFile, [3]);
            var (exitCode, _, _) = await RunAsync("--address", fixture.Address, "execute", module, "exit", "--stdin", exitFile);

            Assert.Equal(0, catCode);
            Assert.Equal("from stdin", catOutput);
            Assert.Equal("from stdin", catError);
            Assert.Equal(0, touchCode);
            Assert.Equal("hello", File.ReadAllText(Path.Combine(outputs, "out.txt")));
            Assert.Equal("input", File.ReadAllText(Path.Combine(outputs, "data", "in.txt")));
            Assert.Equal(3, exitCode);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    [WabtFact]
    public async Task Execute_WasiTrapAfterOutput_StreamsTheOutputThenFailsWithTheTrap()
    {
        await WithStreamerAsync(async module =>
        {
            var (streamedCode, streamedOutput, streamedError) = await RunAsync("--address", fixture.Address, "execute", module, "trap", "--wasi");
            var (unaryCode, unaryOutput, unaryError) = await RunAsync("--address", fixture.Address, "execute", module, "trap", "--wasi", "--stream", "false");

            Assert.Equal(1, streamedCode);
            Assert.Equal("before the trap\n", streamedOutput);
            Assert.StartsWith("oops\nsandbox: ", streamedError);
            Assert.Contains("unreachable", streamedError, StringComparison.OrdinalIgnoreCase);
            // One response at the end: a trap loses the output, as Execute says.
            Assert.Equal(1, unaryCode);
            Assert.Empty(unaryOutput);
            Assert.Equal(streamedError["oops\n".Length..], unaryError);
        });
    }

    [WabtFact]
    public async Task Execute_JsonWithStream_PrintsEachEventAsALineOfJson()
    {
        await WithStreamerAsync(async module =>
        {
            var (streamCode, streamOutput, _) = await RunAsync("--address", fixture.Address, "--json", "execute", module, "--wasi", "--stream");
            var (jsonCode, jsonOutput, _) = await RunAsync("--address", fixture.Address, "--json", "execute", module, "--wasi");

            Assert.Equal(0, streamCode);
            var lines = streamOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(5, lines.Length);
            Assert.Equal("{ \"stdout\": \"YQ==\" }", lines[0]); // "a"
            Assert.Equal("{ \"stderr\": \"Yg==\" }", lines[1]); // "b"
            Assert.StartsWith("{ \"result\": {", lines[4]);
            // Without --stream, --json is the one response, its output inside.
            Assert.Equal(0, jsonCode);
            Assert.Contains("\"stdout\": \"YWM=\"", jsonOutput); // "ac"
            Assert.Contains("\"stderr\": \"YmQ=\"", jsonOutput); // "bd"
        });
    }

    [WabtFact]
    public async Task InstantiateAndInvoke_WasiInstance_PrintTheGuestsOutput()
    {
        var temp = Directory.CreateTempSubdirectory("sandbox-cli-invoke-").FullName;
        try
        {
            var module = Path.Combine(temp, "tools.wasm");
            File.WriteAllBytes(module, Service.WasiModules.Compile());
            var stdin = Path.Combine(temp, "stdin.txt");
            File.WriteAllText(stdin, "from stdin");

            var (instantiateCode, instantiateOutput, _) = await RunAsync("--address", fixture.Address, "instantiate", module, "--stdin", stdin);
            var id = instantiateOutput.Split("instance ")[1].Split(' ')[0];
            var (invokeCode, invokeOutput, invokeError) = await RunAsync("--address", fixture.Address, "invoke", id, "_start");
            await RunAsync("--address", fixture.Address, "drop", id);

            Assert.Equal(0, instantiateCode);
            Assert.StartsWith("ready\n", instantiateOutput); // what _initialize wrote
            Assert.Equal(0, invokeCode);
            Assert.Equal("from stdin", invokeOutput.TrimEnd());
            Assert.Equal("from stdin", invokeError);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    // Runs `body` with the path of WasiModules.Streamer written to a temporary directory.
    private static async Task WithStreamerAsync(Func<string, Task> body)
    {
        var temp = Directory.CreateTempSubdirectory("sandbox-cli-stream-").FullName;
        try
        {
            var module = Path.Combine(temp, "streamer.wasm");
            File.WriteAllBytes(module, Wat.Compile(Service.WasiModules.Streamer));
            await body(module);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await SandboxCli.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>A loopback port nothing listens on: bound, read, and released again.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

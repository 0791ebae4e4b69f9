using System.Text;
using Sandbox.Client;
using Sandbox.Server;

namespace Sandbox.Wasi.Tests.Testsuite;

/// <summary>
/// wasi-testsuite the third way: over gRPC, each test an Execute on an in-process server with its
/// root seeded as files. Exit code, stdout and stderr are checked against the spec, and the files
/// the call returns against those the engine's own in-memory run leaves, so that what a test
/// writes is read back through the service.
/// </summary>
public sealed class WasiTestsuiteServiceTests(WasiServerFixture server) : IClassFixture<WasiServerFixture>
{
    public static IEnumerable<object[]> Cases() => WasiTestsuite.Cases();

    [TestsuiteTheory]
    [MemberData(nameof(Cases))]
    public async Task Testsuite_OverGrpcExecute_MatchesSpecAndEngineFiles(string testCase)
    {
        var (spec, response) = await WasiTestsuite.RunOverGrpcAsync(testCase, server.Client);
        var stdout = response.Wasi.Stdout.ToStringUtf8();
        var stderr = response.Wasi.Stderr.ToStringUtf8();
        var context = $"stdout: {stdout}\nstderr: {stderr}";

        // As WasiTestsuiteTests.Check: the exit code exactly, each stream starting with the payload.
        Assert.True(spec.ExitCode == response.Wasi.ExitCode, $"exit code {response.Wasi.ExitCode}, expected {spec.ExitCode}\n{context}");
        Assert.True(stdout.StartsWith(spec.Stdout, StringComparison.Ordinal), $"stdout differs\n{context}");
        Assert.True(stderr.StartsWith(spec.Stderr, StringComparison.Ordinal), $"stderr differs\n{context}");
        Assert.False(response.Wasi.StdoutTruncated || response.Wasi.StderrTruncated);
        var expected = WasiTestsuite.Run(testCase, inMemory: true).Files ?? [];
        var returned = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in response.Wasi.Files) returned[file.Path] = file.Contents.ToByteArray();
        Assert.Equal(expected.Keys, returned.Keys);
        foreach (var (path, contents) in expected) Assert.True(contents.AsSpan().SequenceEqual(returned[path]), $"{path} differs");
    }
}

/// <summary>The real server on a free loopback port, as its dev tenant (no tenants configured).</summary>
public sealed class WasiServerFixture : IAsyncLifetime
{
    private SandboxServer? server;
    private SandboxClient? client;

    public SandboxClient Client => client ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync()
    {
        server = await SandboxServerHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Sandbox:Listen"] = "http://127.0.0.1:0",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Sandbox:TenantDefaults:ConcurrentCalls"] = "64",
        });
        client = new SandboxClient(server.Address.GetLeftPart(UriPartial.Authority));
    }

    public async Task DisposeAsync()
    {
        client?.Dispose();
        if (server is not null) await server.DisposeAsync();
    }
}

using Sandbox.Client;

namespace Sandbox.Server.Tests.Infrastructure;

/// <summary>
/// The real server, started in process on a free port of 127.0.0.1 and shared by the tests of
/// the <see cref="ServerCollection"/>: every call goes over a real socket and HTTP/2.
/// </summary>
public sealed class SandboxServerFixture : IAsyncLifetime
{
    private SandboxServer? server;

    public SandboxServer Server => server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The address to dial, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Address => Server.Address.GetLeftPart(UriPartial.Authority);

    public SandboxClient CreateClient(SandboxClientOptions? options = null) => new(Address, options);

    public async Task InitializeAsync()
    {
        server = await SandboxServerHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Sandbox:Listen"] = "http://127.0.0.1:0",
            // Warnings and errors still reach the test output; the per-call noise does not.
            ["Serilog:MinimumLevel:Default"] = "Warning",
        });
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>Test classes that share one running server.</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<SandboxServerFixture>
{
    public const string Name = "Server";
}

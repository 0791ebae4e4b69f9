namespace Sandbox.Server;

/// <summary>A started server, as <see cref="SandboxServerHost.StartAsync"/> returns it. Dispose to stop it.</summary>
public sealed class SandboxServer : IAsyncDisposable
{
    internal SandboxServer(WebApplication app, IReadOnlyList<Uri> addresses)
    {
        App = app;
        Addresses = addresses;
    }

    /// <summary>The running application (its services, lifetime and logger).</summary>
    public WebApplication App { get; }

    /// <summary>Every address the server listens on, with the real port when 0 was asked for.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The first address, e.g. <c>http://127.0.0.1:41234/</c>, for a client to connect to.</summary>
    public Uri Address => Addresses.Count > 0 ? Addresses[0] : throw new InvalidOperationException("The server listens on no address.");

    /// <summary>Stops the server gracefully and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }
}

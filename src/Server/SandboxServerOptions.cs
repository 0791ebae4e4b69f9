namespace Sandbox.Server;

/// <summary>
/// The server's own settings, bound from the <c>Sandbox</c> configuration section
/// (appsettings.json, environment variables such as <c>Sandbox__Listen</c>, or the command line
/// as <c>--Sandbox:Listen=…</c> or <c>--listen …</c>).
/// </summary>
public sealed class SandboxServerOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Sandbox";

    /// <summary>
    /// Where to listen for gRPC over HTTP/2 cleartext (h2c): one or more <c>http://host:port</c>
    /// addresses separated by <c>;</c>. <c>localhost</c> binds both loopback addresses,
    /// <c>*</c> or <c>0.0.0.0</c> every interface, and port 0 a free port (see
    /// <see cref="SandboxServer.Addresses"/> for the one chosen). Default <c>http://localhost:50051</c>.
    /// </summary>
    public string Listen { get; set; } = "http://localhost:50051";

    /// <summary>
    /// The most guest calls that run on the server's own request threads at once (they have the
    /// engine's 16 MiB stack); the rest run on the engine's guest threads, at a lower priority.
    /// Default (0): one less than the processor count, at least 1, so that guests running long keep
    /// no more than that many cores from the host's own threads at their priority. See
    /// docs/service.md "Guest threads and the call queue".
    /// </summary>
    public int InlineGuestCalls { get; set; }

    /// <summary>
    /// The most module compilations running at once, server-wide, on dedicated threads at a lower
    /// priority than request handling; more wait their turn. Default (0): one less than the
    /// processor count, at least 1. Each tenant has its own limit too (<c>ConcurrentCompiles</c>).
    /// </summary>
    public int ConcurrentCompiles { get; set; }

    /// <summary>
    /// Have the engine compile every function of a new module to machine code on its background
    /// JIT threads (at the same lower priority, outside the compile slots), so that first calls do
    /// not wait for the JIT (<c>EngineOptions.BackgroundCompilation</c>, docs/limits.md "Machine
    /// code ahead of the first call"). Default true; false compiles each function on its first
    /// call only, which spends no CPU on functions never called.
    /// </summary>
    public bool BackgroundCompilation { get; set; } = true;
}

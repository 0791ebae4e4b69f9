using System.Text;
using Sandbox.Engine.Wasi.Internal;

namespace Sandbox.Engine.Wasi;

/// <summary>
/// One WASI guest's state (wasmtime's <c>WasiCtx</c>): its arguments, environment, descriptor
/// table (stdio, preopens, what it opens), clock and random source. Instantiate modules through
/// it to give them <c>wasi_snapshot_preview1</c>; run a command with <see cref="Run"/>.
/// </summary>
/// <remarks>
/// Every module instantiated through one context shares its descriptors (as one process), and
/// each one's WASI calls work on its own exported <c>memory</c>, so a preloaded library with a
/// memory of its own can use WASI too. Like an instance, a context serves one call at a time.
/// Dispose it to close the files the guest left open.
/// </remarks>
public sealed class WasiContext : IDisposable
{
    internal readonly FdTable Fds = new();
    internal readonly byte[][] Arguments;
    internal readonly byte[][] Environment;
    internal readonly WasiClock Clock;
    internal readonly Random? SeededRandom;
    private readonly WasiConfiguration configuration;

    /// <exception cref="ArgumentException">The arguments or environment hold a NUL, pass <see cref="WasiConfiguration.MaxArgumentBytes"/>, or a name is empty or holds '='.</exception>
    public WasiContext(WasiConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        this.configuration = configuration;
        Arguments = Encode(configuration.Arguments.Select(a => a), "argument");
        foreach (var (name, _) in configuration.Environment)
        {
            if (name.Length == 0 || name.Contains('=')) throw new ArgumentException($"environment variable name '{name}' is empty or holds '='");
        }
        Environment = Encode(configuration.Environment.Select(p => p.Key + "=" + p.Value), "environment variable");
        Clock = configuration.Clock;
        SeededRandom = configuration.RandomSeed is { } seed ? new Random(seed) : null;

        Fds.Add(new StdioEntry(configuration.Stdin, null) { Base = WasiRights.Stdio & ~WasiRights.FdWrite });
        Fds.Add(new StdioEntry(null, configuration.Stdout) { Base = WasiRights.Stdio & ~WasiRights.FdRead });
        Fds.Add(new StdioEntry(null, configuration.Stderr) { Base = WasiRights.Stdio & ~WasiRights.FdRead });
        foreach (var preopen in configuration.Preopens)
        {
            Fds.Add(new DirectoryEntry(preopen.FileSystem, "", preopen.GuestPath)
            {
                Base = WasiRights.Directory,
                Inheriting = WasiRights.Directory | WasiRights.RegularFile,
            });
        }
    }

    /// <summary>The configuration the context was made with.</summary>
    public WasiConfiguration Configuration => configuration;

    /// <summary>
    /// Defines <c>wasi_snapshot_preview1</c> in <paramref name="linker"/> for this module and
    /// instantiates it: its WASI calls use this context and the instance's exported memory.
    /// </summary>
    /// <exception cref="LinkException">As <see cref="Linker.Instantiate"/>.</exception>
    /// <exception cref="TrapException">As <see cref="Linker.Instantiate"/>; a start function calling <c>proc_exit</c> ends it too (see <see cref="WasiExitException.TryGetExitCode"/>).</exception>
    public Instance Instantiate(Linker linker, Module module, InstanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(linker);
        ArgumentNullException.ThrowIfNull(module);
        var caller = new WasiCaller(this);
        WasiFunctions.Define(linker, caller);
        var instance = linker.Instantiate(module, (options ?? InstanceOptions.Default) with { BeforeStart = caller.Bind });
        caller.Bind(instance);
        return instance;
    }

    /// <summary>Defines the functions with <paramref name="memory"/> as the caller's memory (tests call them without a module).</summary>
    internal void DefineImports(Linker linker, Memory memory)
    {
        var caller = new WasiCaller(this);
        caller.Bind(memory);
        WasiFunctions.Define(linker, caller);
    }

    /// <summary>
    /// Runs a command (WASI application ABI): calls <c>_start</c> under <paramref name="options"/>
    /// and returns the exit code (0 when it returns, the code of <c>proc_exit</c> otherwise) with
    /// the captured output.
    /// </summary>
    /// <exception cref="ArgumentException">The instance exports no <c>_start</c> of type [] -> [].</exception>
    /// <exception cref="TrapException">The guest trapped or was interrupted (not an exit).</exception>
    public WasiResult Run(Instance instance, CallOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var start = instance.GetFunction("_start");
        if (start is null || start.Type.Parameters.Length != 0 || start.Type.Results.Length != 0)
        {
            throw new ArgumentException("the module is not a WASI command: it exports no _start of type [] -> []");
        }
        return Result(Call(start, options));
    }

    /// <summary>
    /// Initialises a reactor (WASI application ABI): calls <c>_initialize</c> if it is exported,
    /// once, before any other export. Returns false when there is none.
    /// </summary>
    /// <exception cref="TrapException">It trapped, or exited (see <see cref="WasiExitException.TryGetExitCode"/>).</exception>
    public bool Initialize(Instance instance, CallOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.GetFunction("_initialize") is not { } initialize) return false;
        initialize.Invoke([], [], options);
        return true;
    }

    /// <summary>The result so far: <paramref name="exitCode"/> and what stdout and stderr captured.</summary>
    public WasiResult Result(int exitCode)
    {
        FlushOutputs();
        return new WasiResult(exitCode, configuration.Stdout.Captured, configuration.Stdout.Truncated,
            configuration.Stderr.Captured, configuration.Stderr.Truncated);
    }

    /// <summary>Pushes stdout's and stderr's pending bytes on: the guest is about to wait, and a reader should see what it wrote first.</summary>
    internal void FlushOutputs()
    {
        configuration.Stdout.Flush();
        configuration.Stderr.Flush();
    }

    /// <summary>Closes every descriptor the guest has open.</summary>
    public void Dispose() => Fds.CloseAll();

    private static int Call(Function function, CallOptions? options)
    {
        try
        {
            function.Invoke([], [], options);
            return 0;
        }
        catch (TrapException trap) when (WasiExitException.TryGetExitCode(trap, out var code))
        {
            return code;
        }
    }

    private static byte[][] Encode(IEnumerable<string> strings, string what)
    {
        var encoded = new List<byte[]>();
        long total = 0;
        foreach (var text in strings)
        {
            if (text.Contains('\0')) throw new ArgumentException($"{what} '{text.Replace("\0", "\\0")}' holds a NUL");
            var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
            Encoding.UTF8.GetBytes(text, bytes);
            total += bytes.Length;
            if (total > WasiConfiguration.MaxArgumentBytes) throw new ArgumentException($"the {what}s pass {WasiConfiguration.MaxArgumentBytes} bytes");
            encoded.Add(bytes);
        }
        return [.. encoded];
    }
}

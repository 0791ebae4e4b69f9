namespace Sandbox.Engine.Wasi;

/// <summary>
/// What a WASI guest is given: its arguments and environment, stdin, where stdout and stderr go,
/// the preopened directories, and its clock and random source. A service adapter maps a request
/// onto one of these; <see cref="WasiContext"/> runs a guest with it.
/// </summary>
public sealed record WasiConfiguration
{
    /// <summary>The most bytes of arguments or of environment (strings and their NULs) a guest is given.</summary>
    public const int MaxArgumentBytes = 1 << 20;

    /// <summary>argv, argv[0] first (by convention the program's name).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The environment, as NAME=VALUE pairs in this order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>Stdin (fd 0); default empty.</summary>
    public WasiInput Stdin { get; init; } = WasiInput.Empty;

    /// <summary>Stdout (fd 1); default discarded.</summary>
    public WasiOutput Stdout { get; init; } = WasiOutput.Discard();

    /// <summary>Stderr (fd 2); default discarded.</summary>
    public WasiOutput Stderr { get; init; } = WasiOutput.Discard();

    /// <summary>Directories given as fds 3, 4, ... in order.</summary>
    public IReadOnlyList<WasiPreopen> Preopens { get; init; } = [];

    /// <summary>The clocks; default the host's real ones.</summary>
    public WasiClock Clock { get; init; } = WasiClock.Real;

    /// <summary>Null (default): <c>random_get</c> reads the host's CSPRNG. A seed makes its bytes reproducible (not secure).</summary>
    public int? RandomSeed { get; init; }
}

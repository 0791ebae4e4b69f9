namespace Sandbox.Fuzz.Tests.Support;

/// <summary>
/// The fuzzer's knobs in one place. CI runs the defaults; <c>scripts/fuzz.sh SECONDS SEED</c> sets
/// the environment variables for a longer run.
/// </summary>
public static class FuzzSettings
{
    /// <summary>Seconds each seeded fuzz test (differential, mutation) runs by default, in CI too.
    /// Two tests at this budget keep the fuzz share of CI near two minutes of its 45.</summary>
    public const int CiBudgetSeconds = 45;

    /// <summary>The first seed by default, so a CI run is the same cases every time.</summary>
    public const int DefaultSeed = 12;

    /// <summary>The most cases one run tries, a bound on top of the clock (a mutant takes about
    /// 0.2 ms, so an hour is some 20 million).</summary>
    public const int MaxCases = 100_000_000;

    /// <summary>Random bytes fed to <c>wasm-opt -ttf</c> per module: binaryen reads them as its
    /// choices, so more bytes make larger modules (about 3-6 KiB of wasm from 4 KiB).</summary>
    public const int GeneratorInputBytes = 4096;

    /// <summary>Wall-clock bound on one export call in our engine and Wasmtime's fuel-free run, and
    /// on a whole Node run (a case whose reference times out is skipped, not compared).</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Fuel for one Wasmtime call: far above what a binaryen module's hang limit lets it
    /// spend, so running out means a hang and the case is skipped.</summary>
    public const ulong WasmtimeFuelPerCall = 50_000_000;

    /// <summary>Bound on one decode + validate of a mutated module.</summary>
    public static readonly TimeSpan DecodeTimeout = TimeSpan.FromSeconds(10);

    public const string SecondsVariable = "FUZZ_SECONDS";
    public const string SeedVariable = "FUZZ_SEED";
    public const string OutputVariable = "FUZZ_OUT";
    public const string DenanVariable = "FUZZ_DENAN";
    public const string SplitVariable = "FUZZ_SPLIT";

    /// <summary>
    /// Whether seed <paramref name="seed"/>'s module goes through binaryen's <c>--denan</c>:
    /// <c>$FUZZ_DENAN</c> is <c>all</c>, <c>none</c> or <c>odd</c> (the default: odd seeds only,
    /// so half the modules keep their NaNs and exercise the NaN rule, half compare memory
    /// bit-exactly with no NaN in it). See docs/fuzzing.md.
    /// </summary>
    public static bool Denan(int seed) => Environment.GetEnvironmentVariable(DenanVariable) switch
    {
        "all" => true,
        "none" => false,
        _ => (seed & 1) == 1,
    };

    /// <summary>
    /// Whether our engine compiles seed <paramref name="seed"/>'s module with every function split
    /// as far as it goes (the engine's function splitter, which the generator's small functions
    /// never meet otherwise): <c>$FUZZ_SPLIT</c> is <c>all</c>, <c>none</c> or, the default, every
    /// other pair of seeds (so that each NaN mode of <see cref="Denan"/> meets both).
    /// </summary>
    public static bool Split(int seed) => Environment.GetEnvironmentVariable(SplitVariable) switch
    {
        "all" => true,
        "none" => false,
        _ => ((seed >> 1) & 1) == 1,
    };

    /// <summary>Our engine's options for a module run split (<see cref="Split"/>) or not.</summary>
    public static Sandbox.Engine.EngineOptions EngineOptions(bool split) =>
        split ? new Sandbox.Engine.EngineOptions { SplitCost = 0, PartCost = 8 } : Sandbox.Engine.EngineOptions.Default;

    /// <summary>Run length: <c>$FUZZ_SECONDS</c>, else <see cref="CiBudgetSeconds"/>.</summary>
    public static TimeSpan Budget =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable(SecondsVariable), out var s) && s > 0 ? s : CiBudgetSeconds);

    /// <summary>First seed: <c>$FUZZ_SEED</c>, else <see cref="DefaultSeed"/>.</summary>
    public static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var s) ? s : DefaultSeed;

    /// <summary>Where findings (the module and its traces) are saved: <c>$FUZZ_OUT</c>, else
    /// <c>artifacts/fuzz</c> under the repository root.</summary>
    public static string OutputDirectory
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(OutputVariable);
            if (!string.IsNullOrEmpty(configured)) return Path.GetFullPath(configured);
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Sandbox.sln"))) return Path.Combine(dir.FullName, "artifacts", "fuzz");
            }
            return Path.Combine(Path.GetTempPath(), "sandbox-fuzz");
        }
    }
}

namespace Sandbox.Fuzz.Tests.Support;

/// <summary>
/// The system tools the fuzzer needs: binaryen's <c>wasm-opt</c> (generator, and the reducer's
/// passes) and <c>node</c> (V8 reference). Missing tools skip the tests with a hint, except
/// under CI (<c>CI=true</c>) where the tests run and fail.
/// </summary>
public static class FuzzTools
{
    public const string InstallHint =
        "needs binaryen's wasm-opt and node 20 on PATH: apt-get install binaryen nodejs";

    private static readonly Lazy<string?> WasmOptPath = new(() => Find("wasm-opt"));
    private static readonly Lazy<string?> NodePath = new(() => Find("node"));

    public static string? WasmOpt => WasmOptPath.Value;
    public static string? Node => NodePath.Value;

    public static bool IsAvailable => WasmOpt is not null && Node is not null;

    /// <summary>True when missing tools must fail the tests (env <c>CI=true</c>).</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Require(string? path) => path ?? throw new FileNotFoundException(InstallHint);

    private static string? Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}

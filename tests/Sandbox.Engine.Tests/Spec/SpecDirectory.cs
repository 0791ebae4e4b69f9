namespace Sandbox.Engine.Tests.Spec;

/// <summary>
/// Finds the converted spec testsuite, which is third-party data kept outside the repository:
/// <c>$SANDBOX_SPEC_DIR</c>, else <c>../shared/spec</c> next to the repository root (the folder
/// holding Sandbox.sln). <c>scripts/fetch-spec-tests.sh</c> creates it.
/// </summary>
public static class SpecDirectory
{
    public const string EnvironmentVariable = "SANDBOX_SPEC_DIR";

    public const string MissingHint =
        "spec testsuite not found: run scripts/fetch-spec-tests.sh (or set SANDBOX_SPEC_DIR to its output folder)";

    private static readonly Lazy<string?> Root = new(Locate);

    /// <summary>The spec folder (holding <c>core/</c> and <c>proposals/</c>), or null when missing.</summary>
    public static string? Path => Root.Value;

    /// <summary>True when the tests must fail rather than skip without the data (env <c>CI=true</c>).</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The spec folder; throws with the fetch hint when it is missing.</summary>
    public static string Require() => Path ?? throw new DirectoryNotFoundException(MissingHint);

    /// <summary>
    /// The script names (without <c>.json</c>) in a subfolder such as <c>core</c> or
    /// <c>proposals/threads</c>, sorted, SIMD scripts (<c>simd_*</c>) included unless
    /// <paramref name="includeSimd"/> is false.
    /// </summary>
    public static IReadOnlyList<string> Scripts(string subfolder, bool includeSimd = true)
    {
        if (Path is not { } root) return [];
        var folder = System.IO.Path.Combine(root, subfolder);
        if (!System.IO.Directory.Exists(folder)) return [];
        return System.IO.Directory.EnumerateFiles(folder, "*.json")
            .Select(System.IO.Path.GetFileNameWithoutExtension)
            .Where(name => includeSimd || !name!.StartsWith("simd_", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray()!;
    }

    /// <summary>Loads <c>{subfolder}/{name}.json</c>.</summary>
    public static SpecScript Load(string subfolder, string name) =>
        SpecScript.Load(System.IO.Path.Combine(Require(), subfolder, name + ".json"));

    private static string? Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return System.IO.Directory.Exists(fromEnvironment) ? System.IO.Path.GetFullPath(fromEnvironment) : null;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Sandbox.sln")))
            {
                var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "spec"));
                return System.IO.Directory.Exists(candidate) ? candidate : null;
            }
        }
        return null;
    }
}

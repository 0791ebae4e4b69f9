namespace Sandbox.Engine.Tests.Spec;

/// <summary>
/// MemberData sources for spec theories. When the data is missing under CI, a single
/// <see cref="Missing"/> row is returned so the theory runs and fails with the hint, instead of
/// xunit reporting "no data".
/// </summary>
public static class SpecScripts
{
    public const string Missing = "(spec testsuite missing)";

    /// <summary>Every script of <c>core/</c>, the 57 SIMD ones (<c>simd_*</c>) included.</summary>
    public static TheoryData<string> Core => Rows("core");

    /// <summary>The SIMD scripts of <c>core/</c> (<c>simd_*</c>).</summary>
    public static TheoryData<string> CoreSimd => Rows("core", static name => name.StartsWith("simd_", StringComparison.Ordinal));

    /// <summary>Every script of <c>proposals/threads/</c>.</summary>
    public static TheoryData<string> Threads => Rows("proposals/threads");

    /// <summary>Every script of <c>proposals/custom-page-sizes/</c>.</summary>
    public static TheoryData<string> CustomPageSizes => Rows("proposals/custom-page-sizes");

    private static TheoryData<string> Rows(string subfolder, Func<string, bool>? filter = null)
    {
        var data = new TheoryData<string>();
        var scripts = filter is null
            ? SpecDirectory.Scripts(subfolder)
            : SpecDirectory.Scripts(subfolder, includeSimd: true).Where(filter).ToArray();
        if (scripts.Count == 0)
        {
            data.Add(Missing);
            return data;
        }
        foreach (var name in scripts) data.Add(name);
        return data;
    }
}

using System.Text;

namespace Sandbox.Wasi.Tests.Testsuite;

/// <summary>wasi-testsuite, every test twice: through a host directory and through the in-memory filesystem.</summary>
public sealed class WasiTestsuiteTests
{
    public static IEnumerable<object[]> Cases() => WasiTestsuite.Cases();

    [TestsuiteTheory]
    [MemberData(nameof(Cases))]
    public void Testsuite_HostDirectory_MatchesSpec(string testCase) => Check(WasiTestsuite.Run(testCase, inMemory: false));

    [TestsuiteTheory]
    [MemberData(nameof(Cases))]
    public void Testsuite_MemoryFileSystem_MatchesSpec(string testCase) => Check(WasiTestsuite.Run(testCase, inMemory: true));

    [TestsuiteFact]
    public void Cases_Testsuite_HasAll72Tests()
    {
        Assert.Equal(72, WasiTestsuite.Cases().Count());
    }

    // As the suite's runner: the exit code exactly, and each stream read for the expected
    // payload's length must equal it (test_suite_runner.py do_read).
    private static void Check(WasiTestsuite.Outcome outcome)
    {
        var stdout = Encoding.UTF8.GetString(outcome.Result.Stdout.Span);
        var stderr = Encoding.UTF8.GetString(outcome.Result.Stderr.Span);
        var context = $"stdout: {stdout}\nstderr: {stderr}";
        Assert.True(outcome.Spec.ExitCode == outcome.Result.ExitCode, $"exit code {outcome.Result.ExitCode}, expected {outcome.Spec.ExitCode}\n{context}");
        Assert.True(stdout.StartsWith(outcome.Spec.Stdout, StringComparison.Ordinal), $"stdout differs\n{context}");
        Assert.True(stderr.StartsWith(outcome.Spec.Stderr, StringComparison.Ordinal), $"stderr differs\n{context}");
    }
}

/// <summary>A theory over the testsuite: skipped with a hint when it is missing, except under CI where it fails.</summary>
public sealed class TestsuiteTheoryAttribute : TheoryAttribute
{
    public TestsuiteTheoryAttribute()
    {
        if (WasiTestsuite.Path is null && !WasiTestsuite.Required) Skip = WasiTestsuite.MissingHint;
    }
}

/// <summary>The <see cref="TestsuiteTheoryAttribute"/> rule for facts.</summary>
public sealed class TestsuiteFactAttribute : FactAttribute
{
    public TestsuiteFactAttribute()
    {
        if (WasiTestsuite.Path is null && !WasiTestsuite.Required) Skip = WasiTestsuite.MissingHint;
    }
}

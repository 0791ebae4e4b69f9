using Sandbox.Engine.Validation;
using Xunit.Abstractions;

namespace Sandbox.Engine.Tests.Spec;

/// <summary>
/// The spec testsuite's module commands against the decoder and validator: per core
/// script, every module that must load loads, every binary malformed module is rejected and
/// every invalid module fails validation.
/// </summary>
public sealed class SpecDecodeTests(ITestOutputHelper output)
{
    [SpecTheory]
    [MemberData(nameof(SpecScripts.Core), MemberType = typeof(SpecScripts))]
    public void DecodeAndValidate_CoreScript_MatchesAssertions(string name)
    {
        var result = SpecDecodeRunner.Run(SpecDirectory.Load("core", name), $"core/{name}");

        output.WriteLine(result.ToString());
        foreach (var excepted in result.Excepted) output.WriteLine("  " + excepted);
        foreach (var mismatch in result.MessageMismatches) output.WriteLine("  message: " + mismatch);
        Assert.True(result.Failures.Count == 0, $"{result}\n{string.Join('\n', result.Failures)}");
    }

    [SpecTheory]
    [MemberData(nameof(SpecScripts.Threads), MemberType = typeof(SpecScripts))]
    public void DecodeAndValidate_ThreadsScript_MatchesAssertions(string name)
    {
        var result = SpecDecodeRunner.Run(SpecDirectory.Load("proposals/threads", name), $"proposals/threads/{name}", WasmFeatures.Threads);

        output.WriteLine(result.ToString());
        foreach (var excepted in result.Excepted) output.WriteLine("  " + excepted);
        foreach (var mismatch in result.MessageMismatches) output.WriteLine("  message: " + mismatch);
        Assert.True(result.Failures.Count == 0, $"{result}\n{string.Join('\n', result.Failures)}");
    }

    [SpecTheory]
    [MemberData(nameof(SpecScripts.CustomPageSizes), MemberType = typeof(SpecScripts))]
    public void DecodeAndValidate_CustomPageSizesScript_MatchesAssertions(string name)
    {
        var result = SpecDecodeRunner.Run(SpecDirectory.Load("proposals/custom-page-sizes", name), $"proposals/custom-page-sizes/{name}");

        output.WriteLine(result.ToString());
        foreach (var excepted in result.Excepted) output.WriteLine("  " + excepted);
        foreach (var mismatch in result.MessageMismatches) output.WriteLine("  message: " + mismatch);
        Assert.True(result.Failures.Count == 0, $"{result}\n{string.Join('\n', result.Failures)}");
    }
}

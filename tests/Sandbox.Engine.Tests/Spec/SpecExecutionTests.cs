using Sandbox.Engine.Validation;
using Xunit.Abstractions;

namespace Sandbox.Engine.Tests.Spec;

/// <summary>
/// Every command of every core script run against the engine: modules instantiate, actions
/// return bit-exact results or trap as asserted, unlinkable and uninstantiable modules fail so.
/// </summary>
public sealed class SpecExecutionTests(ITestOutputHelper output)
{
    [SpecTheory]
    [MemberData(nameof(SpecScripts.Core), MemberType = typeof(SpecScripts))]
    public void Run_CoreScript_AllCommandsPass(string name)
    {
        var result = SpecExecutionRunner.Run(SpecDirectory.Load("core", name));

        output.WriteLine(result.ToString());
        foreach (var skip in result.Skips) output.WriteLine("  skipped " + skip);
        Assert.True(result.Failures.Count == 0, $"{result}\n{string.Join('\n', result.Failures.Take(50))}");
    }

    /// <summary>
    /// The core scripts again with every function split as far as it goes (each construct and run
    /// of instructions that can be its own method is one: Compilation.FunctionSplitter), so that the
    /// parts' calls, exits, carried values and locals meet every instruction the suite has.
    /// </summary>
    [SpecTheory]
    [MemberData(nameof(SpecScripts.Core), MemberType = typeof(SpecScripts))]
    public void Run_CoreScriptSplitEverywhere_AllCommandsPass(string name) =>
        RunProposal("core", name, SplitEverywhere);

    internal static EngineOptions SplitEverywhere { get; } = new() { SplitCost = 0, PartCost = 8 };

    [SpecTheory]
    [MemberData(nameof(SpecScripts.Threads), MemberType = typeof(SpecScripts))]
    public void Run_ThreadsScript_AllCommandsPass(string name) =>
        RunProposal("proposals/threads", name, new EngineOptions { Features = WasmFeatures.Threads });

    [SpecTheory]
    [MemberData(nameof(SpecScripts.CustomPageSizes), MemberType = typeof(SpecScripts))]
    public void Run_CustomPageSizesScript_AllCommandsPass(string name) =>
        RunProposal("proposals/custom-page-sizes", name, EngineOptions.Default);

    private void RunProposal(string folder, string name, EngineOptions options)
    {
        var result = SpecExecutionRunner.Run(SpecDirectory.Load(folder, name), $"{folder}/{name}", options);

        output.WriteLine(result.ToString());
        foreach (var skip in result.Skips) output.WriteLine("  skipped " + skip);
        Assert.True(result.Failures.Count == 0, $"{result}\n{string.Join('\n', result.Failures.Take(50))}");
    }

    /// <summary>
    /// The per-script table and the total over all core scripts. Fails if any command fails,
    /// so the summary is also the suite's single verdict.
    /// </summary>
    [SpecTheory]
    [InlineData("core")]
    public void Summary_AllCoreScripts_PrintsTableAndTotal(string folder)
    {
        var results = SpecDirectory.Scripts(folder).Select(name => SpecExecutionRunner.Run(SpecDirectory.Load(folder, name))).ToList();

        foreach (var result in results) output.WriteLine(result.ToString());
        var passed = results.Sum(r => r.Passed);
        var total = results.Sum(r => r.Total);
        var skipped = results.Sum(r => r.Skips.Count);
        output.WriteLine($"{"TOTAL",-32} {passed,6}/{total,-6} failed {total - passed,4}  skipped {skipped,4} (text-format modules)");
        Assert.True(results.Count > 0, SpecDirectory.MissingHint);
        Assert.Equal(total, passed);
    }

    /// <summary>The per-script table and total of a proposal's suite, with its skips counted.</summary>
    [SpecTheory]
    [InlineData("proposals/threads")]
    [InlineData("proposals/custom-page-sizes")]
    public void Summary_ProposalScripts_PrintsTableAndTotal(string folder)
    {
        var options = folder.EndsWith("threads", StringComparison.Ordinal) ? new EngineOptions { Features = WasmFeatures.Threads } : EngineOptions.Default;
        var results = SpecDirectory.Scripts(folder)
            .Select(name => SpecExecutionRunner.Run(SpecDirectory.Load(folder, name), $"{folder}/{name}", options))
            .ToList();

        foreach (var result in results) output.WriteLine(result.ToString());
        var passed = results.Sum(r => r.Passed);
        var total = results.Sum(r => r.Total);
        var skipped = results.Sum(r => r.Skips.Count);
        output.WriteLine($"{"TOTAL",-32} {passed,6}/{total,-6} failed {total - passed,4}  skipped {skipped,4} (text-format modules, listed exceptions and commands depending on them)");
        Assert.True(results.Count > 0, SpecDirectory.MissingHint);
        Assert.Equal(total, passed);
    }
}

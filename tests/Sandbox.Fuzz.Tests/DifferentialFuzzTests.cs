using System.Diagnostics;
using Sandbox.Fuzz.Tests.Comparison;
using Sandbox.Fuzz.Tests.Execution;
using Sandbox.Fuzz.Tests.Generation;
using Sandbox.Fuzz.Tests.Reduction;
using Sandbox.Fuzz.Tests.Support;
using Xunit.Abstractions;

namespace Sandbox.Fuzz.Tests;

/// <summary>The seeded differential run: <see cref="FuzzSettings.Budget"/> of generated modules
/// from seed <see cref="FuzzSettings.Seed"/> upward, each run in our engine, Wasmtime and V8.</summary>
public sealed class DifferentialFuzzTests(ITestOutputHelper output)
{
    [FuzzFact]
    public void GeneratedModules_SeededRun_AllEnginesAgree()
    {
        using var wasmtime = new WasmtimeRunner();
        var clock = Stopwatch.StartNew();
        var budget = FuzzSettings.Budget;
        var first = FuzzSettings.Seed;
        int agreed = 0, skipped = 0;
        var findings = new List<string>();
        for (var seed = first; clock.Elapsed < budget && seed - first < FuzzSettings.MaxCases; seed++)
        {
            var denan = FuzzSettings.Denan(seed);
            var wasm = ModuleGenerator.Generate(seed, denan);
            var split = FuzzSettings.Split(seed);
            var result = DifferentialCase.Run(wasm, wasmtime, split, nansKept: !denan);
            switch (result.Outcome)
            {
                case DifferentialCase.Outcome.Agreed: agreed++; break;
                case DifferentialCase.Outcome.Skipped: skipped++; output.WriteLine($"seed {seed} skipped: {result.Divergence}"); break;
                default:
                    var path = DifferentialCase.Save($"seed-{seed}", wasm, result);
                    var minimised = ModuleReducer.Reduce(wasm, candidate => SameDivergence(result, DifferentialCase.Run(candidate, wasmtime, split, nansKept: !denan)));
                    var minimisedPath = DifferentialCase.Save($"seed-{seed}.min", minimised, DifferentialCase.Run(minimised, wasmtime, split, nansKept: !denan));
                    findings.Add($"seed {seed}{(split ? " (split)" : "")}: {result.Divergence} (module: {path}, {wasm.Length} bytes; minimised: {minimisedPath}, {minimised.Length} bytes)");
                    output.WriteLine(findings[^1]);
                    break;
            }
        }
        output.WriteLine($"differential: seeds {first}..{first + agreed + skipped + findings.Count - 1}, {agreed} agreed, {skipped} skipped, {findings.Count} diverged in {clock.Elapsed.TotalSeconds:F0} s");
        Assert.True(findings.Count == 0, string.Join('\n', findings));
        Assert.True(agreed > 0, "no case ran to a comparison");
    }

    /// <summary>A reduction step keeps the finding when the same pair of engines still diverges
    /// (the text before the first colon: "versus Wasmtime", "versus V8", "our engine rejected ...").</summary>
    private static bool SameDivergence(DifferentialCase.Result original, DifferentialCase.Result candidate) =>
        candidate.Outcome == DifferentialCase.Outcome.Diverged &&
        candidate.Divergence!.Split(':')[0] == original.Divergence!.Split(':')[0];
}

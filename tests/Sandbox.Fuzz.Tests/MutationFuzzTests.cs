using System.Diagnostics;
using Sandbox.Fuzz.Tests.Execution;
using Sandbox.Fuzz.Tests.Mutation;
using Sandbox.Fuzz.Tests.Support;
using Xunit.Abstractions;

namespace Sandbox.Fuzz.Tests;

/// <summary>The seeded mutation runs: mutated spec and generated modules must be accepted or
/// rejected as Wasmtime does, without a crash, a hang or a non-engine exception; and those both
/// engines accept must run in both alike (<see cref="ExecutionCase"/>).</summary>
public sealed class MutationFuzzTests(ITestOutputHelper output)
{
    [FuzzFact]
    public void MutatedModules_SeededRun_ValidityAgreesWithWasmtime()
    {
        using var wasmtime = new WasmtimeRunner();
        var accepted = 0;
        Run(wasmtime, "mutation", FuzzSettings.Seed, mutated =>
        {
            var wasmtimeError = wasmtime.Validate(mutated);
            if (wasmtimeError is null) accepted++;
            return ValidityCase.Check(mutated, wasmtimeError, FuzzSettings.DecodeTimeout) is { } finding ? (finding, null) : null;
        }, () => $"{accepted} valid");
    }

    [FuzzFact]
    public void MutatedModules_SeededRun_RunAsInWasmtime()
    {
        using var wasmtime = new WasmtimeRunner();
        int run = 0, agreed = 0;
        // Not the validity run's sequence: the two runs side by side try different mutants.
        Run(wasmtime, "execution", ~FuzzSettings.Seed, mutated =>
        {
            // Only mutants both engines accept run; the validity run compares the rest.
            if (wasmtime.Validate(mutated) is not null) return null;
            var result = ExecutionCase.Run(mutated, wasmtime);
            if (result.Outcome == ExecutionCase.Outcome.Skipped) return null;
            run++;
            if (result.Outcome == ExecutionCase.Outcome.Agreed)
            {
                agreed++;
                return null;
            }
            return (result.Finding!, $"{result.Finding}\n\n== ours\n{result.Ours}\n\n== wasmtime\n{result.Wasmtime}\n");
        }, () => $"{run} run in both engines, {agreed} alike");
    }

    /// <summary>
    /// Mutates corpus modules from <paramref name="seed"/> until the budget is spent, and checks
    /// each with <paramref name="check"/>: a finding, with the text to save beside its module, or null.
    /// </summary>
    private void Run(WasmtimeRunner wasmtime, string kind, int seed, Func<byte[], (string Finding, string? Details)?> check, Func<string> counts)
    {
        var corpus = SeedCorpus.Load(bytes => wasmtime.Validate(bytes) is null);
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var budget = FuzzSettings.Budget;
        var cases = 0;
        var findings = new List<string>();
        // The mutant in hand, written before it is tried: a case that takes the process down
        // (a native crash in a reference, a stack overflow) leaves no finding, only this file.
        Directory.CreateDirectory(FuzzSettings.OutputDirectory);
        using var current = new FileStream(Path.Combine(FuzzSettings.OutputDirectory, $"{kind}-{FuzzSettings.Seed}-current.wasm"), FileMode.Create, FileAccess.Write);
        while (clock.Elapsed < budget && cases < FuzzSettings.MaxCases)
        {
            var (name, original) = corpus[random.Next(corpus.Count)];
            var mutated = ByteMutator.Mutate(original, random);
            cases++;
            current.SetLength(0);
            current.Write(mutated);
            current.Flush();
            if (check(mutated) is not { } found) continue;
            var path = Path.Combine(FuzzSettings.OutputDirectory, $"{kind}-{FuzzSettings.Seed}-{cases}.wasm");
            File.WriteAllBytes(path, mutated);
            if (found.Details is not null) File.WriteAllText(Path.ChangeExtension(path, ".txt"), found.Details);
            findings.Add($"case {cases} (seed {FuzzSettings.Seed}, from {name}): {found.Finding} (module: {path})");
            output.WriteLine(findings[^1]);
            if (findings.Count >= 20) break;
        }
        output.WriteLine($"{kind}: seed {FuzzSettings.Seed}, {corpus.Count} corpus modules, {cases} mutants ({counts()}), {findings.Count} findings in {clock.Elapsed.TotalSeconds:F0} s");
        Assert.True(findings.Count == 0, string.Join('\n', findings));
    }
}

using System.Diagnostics;
using Sandbox.Fuzz.Tests.Execution;
using Sandbox.Fuzz.Tests.Mutation;
using Sandbox.Fuzz.Tests.Support;
using Xunit.Abstractions;

namespace Sandbox.Fuzz.Tests;

/// <summary>The seeded mutation run: mutated spec and generated modules must be accepted or
/// rejected as Wasmtime does, without a crash, a hang or a non-engine exception.</summary>
public sealed class MutationFuzzTests(ITestOutputHelper output)
{
    [FuzzFact]
    public void MutatedModules_SeededRun_ValidityAgreesWithWasmtime()
    {
        using var wasmtime = new WasmtimeRunner();
        var corpus = SeedCorpus.Load(bytes => wasmtime.Validate(bytes) is null);
        var random = new Random(FuzzSettings.Seed);
        var clock = Stopwatch.StartNew();
        var budget = FuzzSettings.Budget;
        int cases = 0, accepted = 0;
        var findings = new List<string>();
        // The mutant in hand, written before it is tried: a case that takes the process down
        // (a native crash in a reference, a stack overflow) leaves no finding, only this file.
        Directory.CreateDirectory(FuzzSettings.OutputDirectory);
        using var current = new FileStream(Path.Combine(FuzzSettings.OutputDirectory, $"mutation-{FuzzSettings.Seed}-current.wasm"), FileMode.Create, FileAccess.Write);
        while (clock.Elapsed < budget && cases < FuzzSettings.MaxCases)
        {
            var (name, original) = corpus[random.Next(corpus.Count)];
            var mutated = ByteMutator.Mutate(original, random);
            cases++;
            current.SetLength(0);
            current.Write(mutated);
            current.Flush();
            var wasmtimeError = wasmtime.Validate(mutated);
            if (wasmtimeError is null) accepted++;
            if (ValidityCase.Check(mutated, wasmtimeError, FuzzSettings.DecodeTimeout) is { } finding)
            {
                Directory.CreateDirectory(FuzzSettings.OutputDirectory);
                var path = Path.Combine(FuzzSettings.OutputDirectory, $"mutation-{FuzzSettings.Seed}-{cases}.wasm");
                File.WriteAllBytes(path, mutated);
                findings.Add($"case {cases} (seed {FuzzSettings.Seed}, from {name}): {finding} (module: {path})");
                output.WriteLine(findings[^1]);
                if (findings.Count >= 20) break;
            }
        }
        output.WriteLine($"mutation: seed {FuzzSettings.Seed}, {corpus.Count} corpus modules, {cases} mutants ({accepted} valid), {findings.Count} findings in {clock.Elapsed.TotalSeconds:F0} s");
        Assert.True(findings.Count == 0, string.Join('\n', findings));
    }
}

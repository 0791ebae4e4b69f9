using Sandbox.Fuzz.Tests.Execution;
using Sandbox.Fuzz.Tests.Generation;
using Sandbox.Fuzz.Tests.Support;

namespace Sandbox.Fuzz.Tests.Reduction;

/// <summary>
/// Minimises a diverging module: drops function exports one at a time, each followed by binaryen's
/// <c>--remove-unused-module-elements</c> so the code only that export reached goes too, then tries
/// <c>-O1</c>; keeps every step after which the module still diverges the same way. A greedy
/// reducer, coarser than <c>wasm-reduce</c> but needing no external interestingness script.
/// </summary>
public static class ModuleReducer
{
    /// <summary>Bound on reduction steps, so a flaky divergence cannot loop.</summary>
    public const int MaxSteps = 200;

    public static byte[] Reduce(byte[] wasm, Func<byte[], bool> stillDiverges)
    {
        var current = wasm;
        var steps = 0;
        for (var changed = true; changed && steps < MaxSteps;)
        {
            changed = false;
            var exports = ExportSection.Read(current, out _, out _);
            for (var i = exports.Count - 1; i >= 0 && steps < MaxSteps; i--)
            {
                if (exports[i].Name == FuzzingImports.HangLimitInitializer) continue;
                steps++;
                if (Try(ExportSection.Without(current, i), stillDiverges, "--remove-unused-module-elements") is { } smaller)
                {
                    current = smaller;
                    changed = true;
                    break;
                }
            }
        }
        return Try(current, stillDiverges, "-O1") ?? current;
    }

    private static byte[]? Try(byte[] candidate, Func<byte[], bool> stillDiverges, string pass)
    {
        var optimised = Optimise(candidate, pass) ?? candidate;
        if (stillDiverges(optimised)) return optimised;
        return !ReferenceEquals(optimised, candidate) && stillDiverges(candidate) ? candidate : null;
    }

    private static byte[]? Optimise(byte[] wasm, string pass)
    {
        var dir = Directory.CreateTempSubdirectory("sandbox-fuzz-reduce-");
        try
        {
            var input = Path.Combine(dir.FullName, "in.wasm");
            var output = Path.Combine(dir.FullName, "out.wasm");
            File.WriteAllBytes(input, wasm);
            var arguments = new List<string> { input };
            arguments.AddRange(ModuleGenerator.FeatureFlags);
            arguments.AddRange([pass, "-o", output]);
            var result = ProcessRunner.Run(FuzzTools.Require(FuzzTools.WasmOpt), arguments, TimeSpan.FromSeconds(60));
            return result.ExitCode == 0 ? File.ReadAllBytes(output) : null;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

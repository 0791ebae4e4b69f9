using Sandbox.Fuzz.Tests.Support;

namespace Sandbox.Fuzz.Tests.Generation;

/// <summary>
/// Valid modules from a seed: <see cref="FuzzSettings.GeneratorInputBytes"/> bytes of
/// <c>System.Random(seed)</c> given to binaryen's <c>wasm-opt -ttf</c> (translate-to-fuzz), which
/// reads them as its choices and always writes a valid module. The same seed gives the same module
/// for a given binaryen version (Debian's 108 in CI).
/// </summary>
/// <remarks>
/// binaryen's modules import <c>fuzzing-support</c> log functions (see <see cref="Execution.FuzzingImports"/>),
/// export a <c>hangLimitInitializer</c> and decrement a hang-limit global in every loop and call, so
/// every export call ends after a bounded amount of work once the limit is reset.
/// </remarks>
public static class ModuleGenerator
{
    /// <summary>
    /// The proposals our engine implements (WebAssembly 2.0): sign-extension, non-trapping
    /// float-to-int, bulk memory, multi-value, mutable globals, fixed-width SIMD. Reference types
    /// are left out: binaryen 108 (Debian's) writes them in its pre-standard typed form
    /// (<c>ref.func</c> typed <c>(ref $t)</c>, GC heap types), which 2.0 engines rightly reject.
    /// Threads are left out although the engine has them: shared-memory races make results
    /// nondeterministic and binaryen's atomics need shared memory to compare. Everything else
    /// (tail calls, exceptions, GC, memory64, relaxed SIMD, extended-const) we reject, so it stays off.
    /// </summary>
    public static readonly string[] FeatureFlags =
    [
        "--mvp-features",
        "--enable-sign-ext",
        "--enable-nontrapping-float-to-int",
        "--enable-bulk-memory",
        "--enable-multivalue",
        "--enable-mutable-globals",
        "--enable-simd",
    ];

    /// <summary>The module for <paramref name="seed"/>, with binaryen's <c>--denan</c> pass so no
    /// NaN reaches a comparison point (see docs/fuzzing.md, "NaN").</summary>
    public static byte[] Generate(int seed, bool denan = true)
    {
        var input = new byte[FuzzSettings.GeneratorInputBytes];
        new Random(seed).NextBytes(input);
        return Translate(input, denan);
    }

    /// <summary>The module binaryen makes from <paramref name="input"/> bytes.</summary>
    public static byte[] Translate(byte[] input, bool denan = true)
    {
        var dir = Directory.CreateTempSubdirectory("sandbox-fuzz-gen-");
        try
        {
            var inputPath = Path.Combine(dir.FullName, "input.bin");
            var outputPath = Path.Combine(dir.FullName, "module.wasm");
            File.WriteAllBytes(inputPath, input);
            var arguments = new List<string> { inputPath, "-ttf" };
            arguments.AddRange(FeatureFlags);
            if (denan) arguments.Add("--denan");
            arguments.AddRange(["-o", outputPath]);
            var result = ProcessRunner.Run(FuzzTools.Require(FuzzTools.WasmOpt), arguments, TimeSpan.FromSeconds(60));
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"wasm-opt -ttf failed ({result.ExitCode}): {result.StandardError}");
            }
            return File.ReadAllBytes(outputPath);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

using Sandbox.Engine.Validation;
using Xunit.Abstractions;

namespace Sandbox.Engine.Tests.Spec;

/// <summary>
/// One table of the decode-and-validate results over every suite, with totals per category,
/// for CI logs and reports (the per-script theories give the details).
/// </summary>
public sealed class SpecDecodeSummaryTests(ITestOutputHelper output)
{
    [SpecFact]
    public void DecodeAndValidate_AllSuites_PrintsTotalsAndHasNoFailures()
    {
        var suites = new (string Folder, WasmFeatures Features)[]
        {
            ("core", WasmFeatures.None),
            ("proposals/threads", WasmFeatures.Threads),
            ("proposals/custom-page-sizes", WasmFeatures.None),
        };
        var failures = new List<string>();
        foreach (var (folder, features) in suites)
        {
            var valid = new SpecDecodeResult.Tally();
            var malformed = new SpecDecodeResult.Tally();
            var invalid = new SpecDecodeResult.Tally();
            int text = 0, excepted = 0, mismatches = 0, scripts = 0;
            foreach (var name in SpecDirectory.Scripts(folder))
            {
                var result = SpecDecodeRunner.Run(SpecDirectory.Load(folder, name), $"{folder}/{name}", features);
                valid.Add(result.Valid);
                malformed.Add(result.Malformed);
                invalid.Add(result.Invalid);
                text += result.SkippedText;
                excepted += result.Excepted.Count;
                mismatches += result.MessageMismatches.Count;
                scripts++;
                failures.AddRange(result.Failures.Select(f => $"{folder}/{name} {f}"));
            }
            output.WriteLine($"{folder,-28} {scripts,3} scripts  valid {valid}  malformed {malformed}  invalid {invalid}  " +
                             $"excepted {excepted}  text skipped {text}  message mismatches {mismatches}");
            Assert.True(scripts > 0, $"no scripts in {folder}: {SpecDirectory.MissingHint}");
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }
}

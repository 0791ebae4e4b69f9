using Sandbox.Engine.Binary;
using Sandbox.Engine.Validation;

namespace Sandbox.Engine.Tests.Spec;

/// <summary>
/// Runs the decode-and-validate part of a spec script: every module that must load is decoded
/// and validated, every binary assert_malformed must be rejected, every assert_invalid must
/// decode and then fail validation. Execution is SpecExecutionTests' business.
/// </summary>
public static class SpecDecodeRunner
{
    /// <summary>Runs <paramref name="script"/>, which <paramref name="id"/> names for <see cref="SpecExceptions"/> (e.g. <c>core/i32</c>).</summary>
    public static SpecDecodeResult Run(SpecScript script, string id, WasmFeatures features = WasmFeatures.None)
    {
        var result = new SpecDecodeResult(id);
        foreach (var command in script.Commands)
        {
            var (tally, failure) = command switch
            {
                ModuleCommand module => (result.Valid, ExpectValid(script, features, module.FileName)),
                AssertModuleCommand { ModuleType: SpecModuleType.Text } => (null, null),
                AssertUnlinkableCommand or AssertUninstantiableCommand =>
                    (result.Valid, ExpectValid(script, features, ((AssertModuleCommand)command).FileName)),
                AssertMalformedCommand malformed =>
                    (result.Malformed, ExpectRejected(script, features, result, malformed, allowDecodeFailure: true)),
                AssertInvalidCommand invalid =>
                    (result.Invalid, ExpectRejected(script, features, result, invalid, allowDecodeFailure: false)),
                _ => (null, null),
            };
            if (command is AssertModuleCommand { ModuleType: SpecModuleType.Text }) result.SkippedText++;
            if (tally is null) continue;

            tally.Total++;
            var excepted = SpecExceptions.ReasonFor(id, command.Line);
            var where = $"line {command.Line}";
            switch (failure, excepted)
            {
                case (null, null):
                    tally.Passed++;
                    break;
                case (null, _):
                    tally.Passed++;
                    result.Failures.Add($"{where}: listed in SpecExceptions but passes now; remove it from the list");
                    break;
                case (_, null):
                    result.Failures.Add($"{where}: {failure}");
                    break;
                default:
                    result.Excepted.Add($"{where}: {failure} [excepted: {excepted}]");
                    break;
            }
        }
        return result;
    }

    /// <summary>Null when the module decodes and validates, else what went wrong.</summary>
    private static string? ExpectValid(SpecScript script, WasmFeatures features, string fileName)
    {
        try
        {
            Validator.Validate(ModuleReader.Read(script.ReadModule(fileName)), features);
            return null;
        }
        catch (WasmException e)
        {
            return $"({fileName}) valid module rejected: {e.Message}";
        }
    }

    /// <summary>Null when the module is rejected in an allowed phase, else what went wrong.</summary>
    private static string? ExpectRejected(SpecScript script, WasmFeatures features, SpecDecodeResult result, AssertModuleCommand command, bool allowDecodeFailure)
    {
        ModuleDefinition module;
        try
        {
            module = ModuleReader.Read(script.ReadModule(command.FileName));
        }
        catch (DecodeException e)
        {
            return Rejected(result, command, e, allowDecodeFailure);
        }
        try
        {
            Validator.Validate(module, features);
            return $"({command.FileName}) expected \"{command.Text}\", but the module was accepted";
        }
        catch (DecodeException e)
        {
            return Rejected(result, command, e, allowDecodeFailure);
        }
        catch (ValidationException e)
        {
            CompareMessage(result, command, e.Reason);
            return null;
        }
    }

    private static string? Rejected(SpecDecodeResult result, AssertModuleCommand command, DecodeException e, bool allowDecodeFailure)
    {
        if (!allowDecodeFailure) return $"({command.FileName}) expected invalid \"{command.Text}\", but malformed: {e.Message}";
        CompareMessage(result, command, e.Reason);
        return null;
    }

    // The spec's texts are the reference interpreter's; engines word some differently, so a
    // mismatch is reported, not failed (the runner in the spec repository does the same).
    private static void CompareMessage(SpecDecodeResult result, AssertModuleCommand command, string actual)
    {
        if (!actual.StartsWith(command.Text, StringComparison.Ordinal))
        {
            result.MessageMismatches.Add($"line {command.Line}: expected \"{command.Text}\", got \"{actual}\"");
        }
    }
}

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
    public static SpecDecodeResult Run(SpecScript script)
    {
        var result = new SpecDecodeResult(script.Name);
        foreach (var command in script.Commands)
        {
            switch (command)
            {
                case ModuleCommand module:
                    ExpectValid(script, result, module.Line, module.FileName);
                    break;
                case AssertUnlinkableCommand or AssertUninstantiableCommand:
                    var linked = (AssertModuleCommand)command;
                    if (linked.ModuleType == SpecModuleType.Text) result.SkippedText++;
                    else ExpectValid(script, result, linked.Line, linked.FileName);
                    break;
                case AssertMalformedCommand { ModuleType: SpecModuleType.Text } or AssertInvalidCommand { ModuleType: SpecModuleType.Text }:
                    result.SkippedText++;
                    break;
                case AssertMalformedCommand malformed:
                    ExpectRejected(script, result, result.Malformed, malformed, allowDecodeFailure: true);
                    break;
                case AssertInvalidCommand invalid:
                    ExpectRejected(script, result, result.Invalid, invalid, allowDecodeFailure: false);
                    break;
            }
        }
        return result;
    }

    private static void ExpectValid(SpecScript script, SpecDecodeResult result, int line, string fileName)
    {
        result.Valid.Total++;
        try
        {
            var module = ModuleReader.Read(script.ReadModule(fileName));
            Validator.Validate(module);
            result.Valid.Passed++;
        }
        catch (WasmException e)
        {
            result.Failures.Add($"line {line} ({fileName}): valid module rejected: {e.Message}");
        }
    }

    private static void ExpectRejected(SpecScript script, SpecDecodeResult result, SpecDecodeResult.Tally tally, AssertModuleCommand command, bool allowDecodeFailure)
    {
        tally.Total++;
        ModuleDefinition module;
        try
        {
            module = ModuleReader.Read(script.ReadModule(command.FileName));
        }
        catch (DecodeException e)
        {
            if (allowDecodeFailure)
            {
                tally.Passed++;
                CompareMessage(result, command, e.Reason);
            }
            else
            {
                result.Failures.Add($"line {command.Line} ({command.FileName}): expected invalid \"{command.Text}\", but malformed: {e.Message}");
            }
            return;
        }
        try
        {
            Validator.Validate(module);
            result.Failures.Add($"line {command.Line} ({command.FileName}): expected \"{command.Text}\", but the module was accepted");
        }
        catch (DecodeException e) when (allowDecodeFailure)
        {
            tally.Passed++;
            CompareMessage(result, command, e.Reason);
        }
        catch (DecodeException e)
        {
            result.Failures.Add($"line {command.Line} ({command.FileName}): expected invalid \"{command.Text}\", but malformed: {e.Message}");
        }
        catch (ValidationException e)
        {
            tally.Passed++;
            CompareMessage(result, command, e.Reason);
        }
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

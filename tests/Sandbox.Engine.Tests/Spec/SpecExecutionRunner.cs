namespace Sandbox.Engine.Tests.Spec;

/// <summary>
/// Runs every command of a spec script against the engine (WebAssembly/spec interpreter/README
/// "scripts"): modules are compiled and instantiated against <see cref="SpecHost"/> and the
/// registered instances, actions invoked, results compared bit for bit.
/// </summary>
public sealed class SpecExecutionRunner
{
    private static readonly CallOptions Limits = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly SpecScript script;
    private readonly Linker linker = SpecHost.CreateLinker();
    private readonly Dictionary<string, Instance> named = new(StringComparer.Ordinal);
    private readonly SpecExecutionResult result;
    private Instance? current;

    private SpecExecutionRunner(SpecScript script)
    {
        this.script = script;
        result = new SpecExecutionResult(script.Name);
    }

    public static SpecExecutionResult Run(SpecScript script)
    {
        var runner = new SpecExecutionRunner(script);
        foreach (var command in script.Commands) runner.Execute(command);
        return runner.result;
    }

    private void Execute(SpecCommand command)
    {
        if (command is AssertModuleCommand { ModuleType: SpecModuleType.Text } text)
        {
            result.Skips.Add($"line {command.Line}: {text.FileName} is a text-format module (binary engine)");
            return;
        }
        try
        {
            var failure = command switch
            {
                ModuleCommand module => Instantiate(module),
                RegisterCommand register => Register(register),
                ActionCommand action => Act(action.Action).Trap is { } trap ? $"trapped: {trap.Message}" : null,
                AssertReturnCommand assert => AssertReturn(assert),
                AssertTrapCommand assert => AssertTrap(assert.Action, assert.Text, exhaustion: false),
                AssertExhaustionCommand assert => AssertTrap(assert.Action, assert.Text, exhaustion: true),
                AssertMalformedCommand or AssertInvalidCommand => AssertRejected((AssertModuleCommand)command),
                AssertUnlinkableCommand assert => AssertUnlinkable(assert),
                AssertUninstantiableCommand assert => AssertUninstantiable(assert),
                _ => $"unknown command {command.GetType().Name}",
            };
            if (failure is null) result.Passed++;
            else result.Failures.Add($"line {command.Line}: {failure}");
        }
        catch (Exception e)
        {
            result.Failures.Add($"line {command.Line}: {e.GetType().Name}: {e.Message}");
        }
    }

    private string? Instantiate(ModuleCommand command)
    {
        current = null;
        var instance = linker.Instantiate(Module.FromBytes(script.ReadModule(command.FileName)));
        current = instance;
        if (command.Name is { } name) named[name] = instance;
        return null;
    }

    private string? Register(RegisterCommand command)
    {
        var instance = command.Name is { } name ? named[name] : current ?? throw new InvalidOperationException("no module to register");
        linker.DefineInstance(command.As, instance);
        return null;
    }

    /// <summary>Performs an action: its results, or the trap it ended with.</summary>
    private (Value[]? Results, TrapException? Trap) Act(SpecAction action)
    {
        var instance = action.Module is { } name ? named[name] : current ?? throw new InvalidOperationException("no current module");
        if (action.Kind == SpecActionKind.Get)
        {
            var global = instance.GetGlobal(action.Field) ?? throw new InvalidOperationException($"no global export {action.Field}");
            return ([global.Value], null);
        }
        var function = instance.GetFunction(action.Field) ?? throw new InvalidOperationException($"no function export {action.Field}");
        try
        {
            return (function.Invoke(Limits, action.Args.Select(ToValue).ToArray()), null);
        }
        catch (TrapException trap)
        {
            return (null, trap);
        }
    }

    private string? AssertReturn(AssertReturnCommand command)
    {
        var (results, trap) = Act(command.Action);
        if (trap is not null) return $"{command.Action.Field}: trapped: {trap.Message}";
        var actual = results!.Select(ToSpecValue).ToArray();
        if (actual.Length != command.Expected.Count ||
            !actual.Zip(command.Expected).All(pair => pair.Second.Matches(pair.First)))
        {
            return $"{command.Action.Field}({string.Join(", ", command.Action.Args)}): expected [{string.Join(", ", command.Expected)}], got [{string.Join(", ", actual)}]";
        }
        return null;
    }

    private string? AssertTrap(SpecAction action, string text, bool exhaustion)
    {
        var (_, trap) = Act(action);
        if (trap is null) return $"{action.Field}: expected trap \"{text}\", returned normally";
        if (exhaustion && trap.Code != TrapCode.CallStackExhausted) return $"{action.Field}: expected stack exhaustion, got {trap.Code}: {trap.Message}";
        return MessageMatches(trap.Message, text) ? null : $"{action.Field}: expected trap \"{text}\", got \"{trap.Message}\"";
    }

    private static bool MessageMatches(string actual, string expected) =>
        actual.StartsWith(expected, StringComparison.Ordinal) || expected.StartsWith(actual, StringComparison.Ordinal);

    private string? AssertRejected(AssertModuleCommand command)
    {
        try
        {
            Module.FromBytes(script.ReadModule(command.FileName));
            return $"expected \"{command.Text}\", but the module was accepted";
        }
        catch (Exception e) when (e is DecodeException or ValidationException)
        {
            return null;
        }
    }

    private string? AssertUnlinkable(AssertUnlinkableCommand command)
    {
        var module = Module.FromBytes(script.ReadModule(command.FileName));
        try
        {
            linker.Instantiate(module);
            return $"expected unlinkable \"{command.Text}\", but it instantiated";
        }
        catch (LinkException e)
        {
            return e.Message.Contains(command.Text, StringComparison.Ordinal) ? null : $"expected \"{command.Text}\", got \"{e.Message}\"";
        }
    }

    private string? AssertUninstantiable(AssertUninstantiableCommand command)
    {
        var module = Module.FromBytes(script.ReadModule(command.FileName));
        try
        {
            linker.Instantiate(module);
            return $"expected trap \"{command.Text}\" at instantiation, but it instantiated";
        }
        catch (TrapException e)
        {
            return MessageMatches(e.Message, command.Text) ? null : $"expected \"{command.Text}\", got \"{e.Message}\"";
        }
    }

    private static Value ToValue(SpecValue value) => value.Type switch
    {
        ValueType.FuncRef => Value.Null(ValueType.FuncRef),
        ValueType.ExternRef => Value.FromExtern(value.IsNull ? null : new ExternHandle(value.Bits)),
        _ => Value.FromBits(value.Type, value.Bits),
    };

    private static SpecValue ToSpecValue(Value value) => value.Type switch
    {
        ValueType.FuncRef => value.Reference is null ? SpecValue.NullRef(ValueType.FuncRef) : new SpecValue(ValueType.FuncRef, 0),
        ValueType.ExternRef => value.Reference switch
        {
            null => SpecValue.NullRef(ValueType.ExternRef),
            ExternHandle handle => SpecValue.ExternRef(handle.Number),
            var other => throw new InvalidOperationException($"unexpected externref {other}"),
        },
        _ => new SpecValue(value.Type, value.Bits),
    };
}

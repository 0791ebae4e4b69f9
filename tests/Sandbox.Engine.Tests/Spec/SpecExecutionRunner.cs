using System.Runtime.Intrinsics;

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
    private readonly string? id;
    private readonly EngineOptions options;
    private readonly Linker linker = SpecHost.CreateLinker();
    private readonly Dictionary<string, Instance> named = new(StringComparer.Ordinal);
    private readonly SpecExecutionResult result;
    private Instance? current;

    // The line of the current module when it was skipped: commands acting on it are skipped too,
    // and so are those naming a skipped module or importing from a name it was registered as.
    private int? skippedModuleLine;
    private readonly HashSet<string> skippedNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> skippedRegistrations = new(StringComparer.Ordinal);

    private SpecExecutionRunner(SpecScript script, string? id, EngineOptions options)
    {
        this.script = script;
        this.id = id;
        this.options = options;
        result = new SpecExecutionResult(script.Name);
    }

    /// <summary>
    /// Runs every command of <paramref name="script"/>. <paramref name="id"/> (e.g.
    /// <c>proposals/threads/atomic</c>) looks up <see cref="SpecExceptions"/>; <paramref name="options"/>
    /// compiles the modules (e.g. with <see cref="Validation.WasmFeatures.Threads"/>).
    /// </summary>
    public static SpecExecutionResult Run(SpecScript script, string? id = null, EngineOptions? options = null)
    {
        var runner = new SpecExecutionRunner(script, id, options ?? EngineOptions.Default);
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
        if (id is not null && SpecExceptions.ReasonFor(id, command.Line) is { } reason)
        {
            result.Skips.Add($"line {command.Line}: {reason}");
            if (command is ModuleCommand skippedModule)
            {
                current = null;
                skippedModuleLine = command.Line;
                if (skippedModule.Name is { } skippedName) skippedNames.Add(skippedName);
            }
            return;
        }
        if (DependsOnSkipped(command) is { } dependency)
        {
            result.Skips.Add($"line {command.Line}: {dependency}, which is skipped");
            if (command is RegisterCommand register) skippedRegistrations.Add(register.As);
            if (command is ModuleCommand dependent)
            {
                current = null;
                skippedModuleLine = command.Line;
                if (dependent.Name is { } dependentName) skippedNames.Add(dependentName);
            }
            return;
        }
        if (command is ModuleCommand) skippedModuleLine = null;
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

    // Why a command cannot run because of an earlier skip (its module, or a module it imports from), or null.
    private string? DependsOnSkipped(SpecCommand command)
    {
        if (ActionTarget(command) is { } target)
        {
            if (target.Module is { } name) return skippedNames.Contains(name) ? $"acts on module {name}" : null;
            return skippedModuleLine is { } line ? $"acts on the module of line {line}" : null;
        }
        var fileName = command switch
        {
            ModuleCommand module => module.FileName,
            AssertUnlinkableCommand or AssertUninstantiableCommand => ((AssertModuleCommand)command).FileName,
            _ => null,
        };
        if (fileName is null || skippedRegistrations.Count == 0) return null;
        var imports = Sandbox.Engine.Binary.ModuleReader.Read(script.ReadModule(fileName)).Imports;
        return imports.FirstOrDefault(i => skippedRegistrations.Contains(i.Module)) is { } import ? $"imports from {import.Module}" : null;
    }

    // The module a command acts on (Module null: the current one), or null for commands that act on none.
    private static (string? Module, bool Acts)? ActionTarget(SpecCommand command) => command switch
    {
        RegisterCommand register => (register.Name, true),
        ActionCommand action => (action.Action.Module, true),
        AssertReturnCommand assert => (assert.Action.Module, true),
        AssertTrapCommand assert => (assert.Action.Module, true),
        AssertExhaustionCommand assert => (assert.Action.Module, true),
        _ => null,
    };

    private string? Instantiate(ModuleCommand command)
    {
        current = null;
        var instance = linker.Instantiate(Module.FromBytes(script.ReadModule(command.FileName), options));
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
            Module.FromBytes(script.ReadModule(command.FileName), options);
            return $"expected \"{command.Text}\", but the module was accepted";
        }
        catch (Exception e) when (e is DecodeException or ValidationException)
        {
            return null;
        }
    }

    private string? AssertUnlinkable(AssertUnlinkableCommand command)
    {
        var module = Module.FromBytes(script.ReadModule(command.FileName), options);
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
        var module = Module.FromBytes(script.ReadModule(command.FileName), options);
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
        ValueType.V128 => Value.FromV128(Vector128.Create((ulong)value.Vector, (ulong)(value.Vector >> 64)).AsByte()),
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
        ValueType.V128 => SpecValue.V128(ToUInt128(value)),
        _ => new SpecValue(value.Type, value.Bits),
    };

    private static UInt128 ToUInt128(Value value)
    {
        var halves = value.AsV128().AsUInt64();
        return new UInt128(halves.GetElement(1), halves.GetElement(0));
    }
}

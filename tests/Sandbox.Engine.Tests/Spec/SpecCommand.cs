namespace Sandbox.Engine.Tests.Spec;

/// <summary>One command of a spec script, with the line of the <c>.wast</c> it came from.</summary>
public abstract record SpecCommand(int Line);

/// <summary>How a module of a module assertion is given: a binary, or text the engine does not read.</summary>
public enum SpecModuleType
{
    Binary,
    Text,
}

/// <summary>What an action does: call an export, or read an exported global.</summary>
public enum SpecActionKind
{
    Invoke,
    Get,
}

/// <summary>
/// An <c>invoke</c> or <c>get</c>: <see cref="Module"/> names a module defined earlier with
/// <c>(module $name …)</c>, or is null for the most recent module.
/// </summary>
public sealed record SpecAction(SpecActionKind Kind, string? Module, string Field, IReadOnlyList<SpecValue> Args);

/// <summary><c>(module …)</c>: decode, validate and instantiate <see cref="FileName"/>; it becomes the current module.</summary>
public sealed record ModuleCommand(int Line, string FileName, string? Name) : SpecCommand(Line);

/// <summary><c>(register "as" $name?)</c>: make the module's exports importable under module name <see cref="As"/>.</summary>
public sealed record RegisterCommand(int Line, string As, string? Name) : SpecCommand(Line);

/// <summary>A bare action whose result is ignored (it may still trap, which fails the script).</summary>
public sealed record ActionCommand(int Line, SpecAction Action) : SpecCommand(Line);

/// <summary>The action must return exactly <see cref="Expected"/>.</summary>
public sealed record AssertReturnCommand(int Line, SpecAction Action, IReadOnlyList<SpecExpected> Expected) : SpecCommand(Line);

/// <summary>The action must trap with a message like <see cref="Text"/> ("integer divide by zero").</summary>
public sealed record AssertTrapCommand(int Line, SpecAction Action, string Text) : SpecCommand(Line);

/// <summary>The action must exhaust the call stack ("call stack exhausted").</summary>
public sealed record AssertExhaustionCommand(int Line, SpecAction Action, string Text) : SpecCommand(Line);

/// <summary>A module assertion: <see cref="FileName"/> must fail at some phase, with a message like <see cref="Text"/>.</summary>
public abstract record AssertModuleCommand(int Line, string FileName, string Text, SpecModuleType ModuleType) : SpecCommand(Line);

/// <summary>The module must fail to decode (or, for text modules, to parse; skipped by a binary-only engine).</summary>
public sealed record AssertMalformedCommand(int Line, string FileName, string Text, SpecModuleType ModuleType)
    : AssertModuleCommand(Line, FileName, Text, ModuleType);

/// <summary>The module must decode and fail validation.</summary>
public sealed record AssertInvalidCommand(int Line, string FileName, string Text, SpecModuleType ModuleType)
    : AssertModuleCommand(Line, FileName, Text, ModuleType);

/// <summary>The module must fail to link (an import is missing or mismatched).</summary>
public sealed record AssertUnlinkableCommand(int Line, string FileName, string Text, SpecModuleType ModuleType)
    : AssertModuleCommand(Line, FileName, Text, ModuleType);

/// <summary>The module must link and then fail during instantiation (segment out of bounds, start traps).</summary>
public sealed record AssertUninstantiableCommand(int Line, string FileName, string Text, SpecModuleType ModuleType)
    : AssertModuleCommand(Line, FileName, Text, ModuleType);

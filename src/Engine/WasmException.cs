namespace Sandbox.Engine;

/// <summary>The base of the engine's errors: decoding, validation, linking, instantiation and traps.</summary>
public abstract class WasmException : Exception
{
    protected WasmException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

/// <summary>A module binary is malformed (Spec 5). <see cref="Offset"/> is the byte offset of the fault.</summary>
public sealed class DecodeException(string message, long offset)
    : WasmException($"{message} (at byte offset 0x{offset:x})")
{
    public long Offset { get; } = offset;

    /// <summary>The message without the offset, as the spec tests phrase it.</summary>
    public string Reason { get; } = message;
}

/// <summary>
/// A module is well-formed but invalid (Spec 3). <see cref="FunctionIndex"/> names the function
/// whose body failed, if any, and <see cref="Offset"/> the byte offset in the module binary.
/// </summary>
public sealed class ValidationException(string message, long offset, uint? functionIndex = null)
    : WasmException(functionIndex is { } f
        ? $"{message} (in function {f} at byte offset 0x{offset:x})"
        : $"{message} (at byte offset 0x{offset:x})")
{
    public long Offset { get; } = offset;

    public uint? FunctionIndex { get; } = functionIndex;

    public string Reason { get; } = message;
}

/// <summary>An import could not be resolved, or resolved to something of the wrong kind or type.</summary>
public sealed class LinkException(string message) : WasmException(message)
{
}

using System.Text;

namespace Sandbox.Engine;

/// <summary>
/// Guest code trapped (Spec 4.4.1). <see cref="Code"/> says why; <see cref="Message"/> is the
/// spec's wording ("integer divide by zero"); <see cref="Backtrace"/> lists the Wasm frames,
/// innermost first, with names from the module's name section.
/// </summary>
public sealed class TrapException : WasmException
{
    private IReadOnlyList<WasmFrame> backtrace = [];

    public TrapException(TrapCode code, string? message = null, Exception? inner = null)
        : base(message ?? DefaultMessage(code), inner)
    {
        Code = code;
    }

    public TrapCode Code { get; }

    /// <summary>The Wasm frames active when the trap happened, innermost first (empty if not captured).</summary>
    /// <remarks>
    /// Functions the JIT inlined into their caller have no frame of their own and are missing,
    /// unless the module was compiled with <see cref="EngineOptions.CompleteBacktraces"/>.
    /// </remarks>
    public IReadOnlyList<WasmFrame> Backtrace => backtrace;

    internal bool HasBacktrace { get; private set; }

    internal void SetBacktrace(IReadOnlyList<WasmFrame> frames)
    {
        backtrace = frames;
        HasBacktrace = true;
    }

    /// <summary>The spec's text for each code, as the spec tests' <c>assert_trap</c> expect it.</summary>
    public static string DefaultMessage(TrapCode code) => code switch
    {
        TrapCode.Unreachable => "unreachable",
        TrapCode.MemoryOutOfBounds => "out of bounds memory access",
        TrapCode.TableOutOfBounds => "out of bounds table access",
        TrapCode.IndirectCallToNull => "uninitialized element",
        TrapCode.IndirectCallTypeMismatch => "indirect call type mismatch",
        TrapCode.IntegerDivideByZero => "integer divide by zero",
        TrapCode.IntegerOverflow => "integer overflow",
        TrapCode.InvalidConversionToInteger => "invalid conversion to integer",
        TrapCode.CallStackExhausted => "call stack exhausted",
        TrapCode.Interrupted => "interrupted",
        TrapCode.OutOfFuel => "all fuel consumed",
        TrapCode.HostError => "host function failed",
        TrapCode.UnalignedAtomic => "unaligned atomic",
        TrapCode.ExpectedSharedMemory => "expected shared memory",
        _ => code.ToString(),
    };

    /// <summary>The message followed by the Wasm backtrace, one frame a line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(GetType().FullName).Append(": ").Append(Message);
        if (backtrace.Count > 0)
        {
            text.Append("\nwasm backtrace:");
            for (var i = 0; i < backtrace.Count; i++) text.Append($"\n  {i}: {backtrace[i]}");
        }
        if (InnerException is { } inner) text.Append("\n ---> ").Append(inner);
        return text.ToString();
    }
}

namespace Sandbox.Fuzz.Tests.Execution;

/// <summary>
/// Trap kinds as the traces name them, one vocabulary for the three engines. Our engine and
/// Wasmtime distinguish all of them and are compared exactly; V8's messages merge a null entry
/// with a signature mismatch, so against V8 those two compare as <see cref="Indirect"/>, and
/// name a truncation's overflow and invalid conversion alike (<see cref="FloatToInteger"/>).
/// </summary>
public static class TrapKinds
{
    public const string Unreachable = "unreachable";
    public const string Memory = "memory-out-of-bounds";
    public const string Table = "table-out-of-bounds";
    public const string NullCall = "indirect-call-to-null";
    public const string Signature = "indirect-call-type-mismatch";
    public const string Indirect = "indirect-call";
    public const string DivideByZero = "integer-divide-by-zero";
    public const string Overflow = "integer-overflow";
    public const string Conversion = "invalid-conversion-to-integer";
    public const string Stack = "call-stack-exhausted";
    public const string NullReference = "null-reference";
    public const string Host = "host";

    /// <summary>V8's one message for a float-to-integer truncation out of range or of a NaN, which
    /// the spec names integer overflow and invalid conversion (spec 4.3.3, trunc).</summary>
    public const string FloatToInteger = "float-to-integer";

    /// <summary>Our engine's <see cref="Sandbox.Engine.TrapCode"/> as a kind.</summary>
    public static string From(Sandbox.Engine.TrapCode code) => code switch
    {
        Sandbox.Engine.TrapCode.Unreachable => Unreachable,
        Sandbox.Engine.TrapCode.MemoryOutOfBounds => Memory,
        Sandbox.Engine.TrapCode.TableOutOfBounds => Table,
        Sandbox.Engine.TrapCode.IndirectCallToNull => NullCall,
        Sandbox.Engine.TrapCode.IndirectCallTypeMismatch => Signature,
        Sandbox.Engine.TrapCode.IntegerDivideByZero => DivideByZero,
        Sandbox.Engine.TrapCode.IntegerOverflow => Overflow,
        Sandbox.Engine.TrapCode.InvalidConversionToInteger => Conversion,
        Sandbox.Engine.TrapCode.CallStackExhausted => Stack,
        Sandbox.Engine.TrapCode.HostError => Host,
        _ => "other:" + code,
    };

    /// <summary>Wasmtime's trap code as a kind.</summary>
    public static string From(Wasmtime.TrapCode code) => code switch
    {
        Wasmtime.TrapCode.Unreachable => Unreachable,
        Wasmtime.TrapCode.MemoryOutOfBounds => Memory,
        Wasmtime.TrapCode.TableOutOfBounds => Table,
        Wasmtime.TrapCode.IndirectCallToNull => NullCall,
        Wasmtime.TrapCode.BadSignature => Signature,
        Wasmtime.TrapCode.IntegerDivisionByZero => DivideByZero,
        Wasmtime.TrapCode.IntegerOverflow => Overflow,
        Wasmtime.TrapCode.BadConversionToInteger => Conversion,
        Wasmtime.TrapCode.StackOverflow => Stack,
        Wasmtime.TrapCode.NullReference => NullReference,
        _ => "other:" + code,
    };

    /// <summary>A kind as it compares against V8 (see the class remarks).</summary>
    public static string ForV8(string kind) => kind is NullCall or Signature ? Indirect : kind;

    /// <summary>Whether two kinds match against V8: equal after <see cref="ForV8"/>, or V8's
    /// <see cref="FloatToInteger"/> against either trap a truncation can raise.</summary>
    public static bool MatchV8(string left, string right)
    {
        if (ForV8(left) == ForV8(right)) return true;
        if (left == FloatToInteger) return right is Overflow or Conversion;
        return right == FloatToInteger && left is Overflow or Conversion;
    }
}

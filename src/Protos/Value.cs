namespace Sandbox.V1;

/// <summary>
/// Factories and typed views of the generated <see cref="Value"/> message. Floats travel as their
/// bit patterns (the proto's <c>fixed32 f32</c> / <c>fixed64 f64</c>), so these helpers convert
/// without ever passing a NaN through arithmetic that could change its payload.
/// </summary>
public sealed partial class Value
{
    /// <summary>The byte length of a v128 value.</summary>
    public const int V128Length = 16;

    /// <summary>An i32.</summary>
    public static Value FromI32(int value) => new() { I32 = value };

    /// <summary>An i64.</summary>
    public static Value FromI64(long value) => new() { I64 = value };

    /// <summary>An f32, carried by its bit pattern: NaN payloads and -0 survive.</summary>
    public static Value FromF32(float value) => new() { F32 = BitConverter.SingleToUInt32Bits(value) };

    /// <summary>An f32 given by its IEEE 754 binary32 bit pattern.</summary>
    public static Value FromF32Bits(uint bits) => new() { F32 = bits };

    /// <summary>An f64, carried by its bit pattern: NaN payloads and -0 survive.</summary>
    public static Value FromF64(double value) => new() { F64 = BitConverter.DoubleToUInt64Bits(value) };

    /// <summary>An f64 given by its IEEE 754 binary64 bit pattern.</summary>
    public static Value FromF64Bits(ulong bits) => new() { F64 = bits };

    /// <summary>A v128 from exactly 16 bytes in memory order (byte 0 is the lowest lane byte).</summary>
    /// <exception cref="ArgumentException">The span is not 16 bytes long.</exception>
    public static Value FromV128(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != V128Length)
        {
            throw new ArgumentException($"A v128 is {V128Length} bytes, not {bytes.Length}.", nameof(bytes));
        }
        return new Value { V128 = Google.Protobuf.ByteString.CopyFrom(bytes) };
    }

    /// <summary>A null funcref (<c>ref.null func</c>).</summary>
    public static Value NullFuncRef() => new() { Funcref = new Reference() };

    /// <summary>A null externref (<c>ref.null extern</c>).</summary>
    public static Value NullExternRef() => new() { Externref = new Reference() };

    /// <summary>A non-null externref carrying a handle the guest passes back unchanged.</summary>
    public static Value ExternRef(ulong handle) => new() { Externref = new Reference { Handle = handle } };

    /// <summary>The f32 as a <see cref="float"/>, bit for bit.</summary>
    /// <exception cref="InvalidOperationException">The value is not an f32.</exception>
    public float AsSingle() => KindCase == KindOneofCase.F32
        ? BitConverter.UInt32BitsToSingle(F32)
        : throw WrongKind(KindOneofCase.F32);

    /// <summary>The f64 as a <see cref="double"/>, bit for bit.</summary>
    /// <exception cref="InvalidOperationException">The value is not an f64.</exception>
    public double AsDouble() => KindCase == KindOneofCase.F64
        ? BitConverter.UInt64BitsToDouble(F64)
        : throw WrongKind(KindOneofCase.F64);

    private InvalidOperationException WrongKind(KindOneofCase expected) =>
        new($"The value is {KindName(KindCase)}, not {KindName(expected)}.");

    /// <summary>The WebAssembly type name of a kind: <c>i32</c>, …, <c>externref</c>; <c>none</c> when unset.</summary>
    public static string KindName(KindOneofCase kind) => kind switch
    {
        KindOneofCase.I32 => "i32",
        KindOneofCase.I64 => "i64",
        KindOneofCase.F32 => "f32",
        KindOneofCase.F64 => "f64",
        KindOneofCase.V128 => "v128",
        KindOneofCase.Funcref => "funcref",
        KindOneofCase.Externref => "externref",
        _ => "none",
    };
}

using System.Globalization;

namespace Sandbox.Engine;

/// <summary>
/// A WebAssembly value as the host sees it: its type and its bits (numbers) or its reference
/// (<c>funcref</c> is a <see cref="Function"/> or null, <c>externref</c> any host object or null).
/// </summary>
/// <remarks>Floats are kept as bit patterns, so NaN payloads and -0 survive a round trip.</remarks>
public readonly struct Value : IEquatable<Value>
{
    private readonly ulong bits;
    private readonly object? reference;

    private Value(ValueType type, ulong bits, object? reference)
    {
        Type = type;
        this.bits = bits;
        this.reference = reference;
    }

    public ValueType Type { get; }

    /// <summary>The raw bits of a numeric value (i32/f32 in the low 32 bits).</summary>
    public ulong Bits => bits;

    /// <summary>The reference of a <c>funcref</c> or <c>externref</c> value (null for a null reference).</summary>
    public object? Reference => reference;

    public bool IsNullReference => Type.IsReference() && reference is null;

    public static Value FromI32(int value) => new(ValueType.I32, (uint)value, null);

    public static Value FromI64(long value) => new(ValueType.I64, (ulong)value, null);

    public static Value FromF32(float value) => new(ValueType.F32, BitConverter.SingleToUInt32Bits(value), null);

    public static Value FromF64(double value) => new(ValueType.F64, BitConverter.DoubleToUInt64Bits(value), null);

    /// <summary>An f32 from its bit pattern (keeps signalling NaNs exactly).</summary>
    public static Value FromF32Bits(uint bits) => new(ValueType.F32, bits, null);

    /// <summary>An f64 from its bit pattern (keeps signalling NaNs exactly).</summary>
    public static Value FromF64Bits(ulong bits) => new(ValueType.F64, bits, null);

    public static Value FromFunction(Function? function) => new(ValueType.FuncRef, 0, function);

    public static Value FromExtern(object? reference) => new(ValueType.ExternRef, 0, reference);

    /// <summary>The null reference of <paramref name="type"/> (funcref or externref).</summary>
    public static Value Null(ValueType type) => new(type, 0, null);

    /// <summary>The zero value of a type (Spec 4.2.1 default values): 0, +0.0 or a null reference.</summary>
    public static Value Default(ValueType type) => new(type, 0, null);

    /// <summary>A value of <paramref name="type"/> from raw bits (numbers) or a reference.</summary>
    public static Value FromBits(ValueType type, ulong bits, object? reference = null) =>
        type is ValueType.I32 or ValueType.F32 ? new(type, (uint)bits, null) : new(type, bits, reference);

    public int AsI32() => (int)(uint)bits;

    public long AsI64() => (long)bits;

    public float AsF32() => BitConverter.UInt32BitsToSingle((uint)bits);

    public double AsF64() => BitConverter.UInt64BitsToDouble(bits);

    public Function? AsFunction() => reference as Function;

    public static implicit operator Value(int value) => FromI32(value);

    public static implicit operator Value(long value) => FromI64(value);

    public static implicit operator Value(float value) => FromF32(value);

    public static implicit operator Value(double value) => FromF64(value);

    public bool Equals(Value other) => Type == other.Type && bits == other.bits && ReferenceEquals(reference, other.reference);

    public override bool Equals(object? obj) => obj is Value other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Type, bits, reference);

    public static bool operator ==(Value left, Value right) => left.Equals(right);

    public static bool operator !=(Value left, Value right) => !left.Equals(right);

    /// <summary>As the CLI prints results: <c>42</c>, <c>1.5</c>, <c>null</c>, with the type: <c>42:i32</c>.</summary>
    public override string ToString() => Type switch
    {
        ValueType.I32 => AsI32().ToString(CultureInfo.InvariantCulture),
        ValueType.I64 => AsI64().ToString(CultureInfo.InvariantCulture),
        ValueType.F32 => AsF32().ToString("R", CultureInfo.InvariantCulture),
        ValueType.F64 => AsF64().ToString("R", CultureInfo.InvariantCulture),
        _ => reference is null ? "null" : reference.ToString() ?? Type.ToWat(),
    };
}

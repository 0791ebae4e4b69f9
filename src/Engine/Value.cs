using System.Globalization;
using System.Runtime.Intrinsics;

namespace Sandbox.Engine;

/// <summary>
/// A WebAssembly value as the host sees it: its type and its bits (numbers) or its reference
/// (<c>funcref</c> is a <see cref="Function"/> or null, <c>externref</c> any host object or null).
/// </summary>
/// <remarks>
/// <para>Floats are kept as bit patterns, so NaN payloads and -0 survive a round trip.</para>
/// <para>A <c>v128</c> keeps its low 64 bits where numbers keep theirs and its high 64 bits in a
/// small object in the reference slot, so that the 24-byte layout every scalar call passes stays
/// as it is; only a non-zero upper half allocates.</para>
/// </remarks>
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

    /// <summary>The raw bits of a numeric value (i32/f32 in the low 32 bits; a v128's low 64 bits).</summary>
    public ulong Bits => bits;

    /// <summary>The reference of a <c>funcref</c> or <c>externref</c> value (null for a null reference).</summary>
    public object? Reference => Type == ValueType.V128 ? null : reference;

    public bool IsNullReference => Type.IsReference() && reference is null;

    public static Value FromI32(int value) => new(ValueType.I32, (uint)value, null);

    public static Value FromI64(long value) => new(ValueType.I64, (ulong)value, null);

    public static Value FromF32(float value) => new(ValueType.F32, BitConverter.SingleToUInt32Bits(value), null);

    public static Value FromF64(double value) => new(ValueType.F64, BitConverter.DoubleToUInt64Bits(value), null);

    /// <summary>An f32 from its bit pattern (keeps signalling NaNs exactly).</summary>
    public static Value FromF32Bits(uint bits) => new(ValueType.F32, bits, null);

    /// <summary>An f64 from its bit pattern (keeps signalling NaNs exactly).</summary>
    public static Value FromF64Bits(ulong bits) => new(ValueType.F64, bits, null);

    /// <summary>A v128 from its 16 bytes, in the order <c>v128.store</c> writes them (lane 0 first).</summary>
    public static Value FromV128(Vector128<byte> value)
    {
        var halves = value.AsUInt64();
        var high = halves.GetElement(1);
        return new(ValueType.V128, halves.GetElement(0), high == 0 ? null : new UpperHalf(high));
    }

    /// <summary>A v128 from its 16 bytes in memory order.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 16 bytes long.</exception>
    public static Value FromV128(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 16) throw new ArgumentException($"a v128 is 16 bytes, not {bytes.Length}", nameof(bytes));
        return FromV128(Vector128.Create(bytes));
    }

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

    /// <summary>The 16 bytes of a v128 (lane 0 at element 0, as in memory).</summary>
    public Vector128<byte> AsV128() => Vector128.Create(bits, (reference as UpperHalf)?.Bits ?? 0).AsByte();

    public static implicit operator Value(int value) => FromI32(value);

    public static implicit operator Value(long value) => FromI64(value);

    public static implicit operator Value(float value) => FromF32(value);

    public static implicit operator Value(double value) => FromF64(value);

    public bool Equals(Value other) =>
        Type == other.Type && bits == other.bits
        && (ReferenceEquals(reference, other.reference) || Type == ValueType.V128 && AsV128() == other.AsV128());

    public override bool Equals(object? obj) => obj is Value other && Equals(other);

    public override int GetHashCode() => Type == ValueType.V128 ? HashCode.Combine(Type, AsV128()) : HashCode.Combine(Type, bits, reference);

    public static bool operator ==(Value left, Value right) => left.Equals(right);

    public static bool operator !=(Value left, Value right) => !left.Equals(right);

    /// <summary>As the CLI prints results: <c>42</c>, <c>1.5</c>, <c>null</c>, with the type: <c>42:i32</c>.</summary>
    public override string ToString() => Type switch
    {
        ValueType.I32 => AsI32().ToString(CultureInfo.InvariantCulture),
        ValueType.I64 => AsI64().ToString(CultureInfo.InvariantCulture),
        ValueType.F32 => AsF32().ToString("R", CultureInfo.InvariantCulture),
        ValueType.F64 => AsF64().ToString("R", CultureInfo.InvariantCulture),
        ValueType.V128 => "v128:" + Convert.ToHexStringLower(AsV128Bytes()),
        _ => reference is null ? "null" : reference.ToString() ?? Type.ToWat(),
    };

    private byte[] AsV128Bytes()
    {
        var bytes = new byte[16];
        AsV128().CopyTo(bytes);
        return bytes;
    }

    /// <summary>The upper 64 bits of a v128, held in the reference slot.</summary>
    private sealed class UpperHalf(ulong bits)
    {
        public ulong Bits { get; } = bits;
    }
}

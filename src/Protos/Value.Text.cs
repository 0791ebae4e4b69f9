using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Sandbox.V1;

/// <summary>
/// The text form of a <see cref="Value"/>, <c>TYPE:LITERAL</c>, as the CLI reads and prints it:
/// <code>
/// i32:5  i32:-1  i32:0xFFFFFFFF    integers, decimal or 0x hex, signed or unsigned (they wrap)
/// i64:-9223372036854775808
/// f32:1.5  f32:-0  f32:inf  f32:-inf  f32:nan  f32:-nan:0x1
/// f64:0.1  f64:nan:0x8000000000000   nan:0xP sets the payload (the significand bits)
/// v128:000102030405060708090a0b0c0d0e0f   32 hex digits, bytes in memory order
/// i32x4:1,2,3,-4  f32x4:1.5,nan,-0,inf  i8x16:…  i16x8:…  i64x2:…  f64x2:…   v128 by lanes (Value.Lanes.cs)
/// funcref:null  externref:null  externref:42
/// </code>
/// Literals follow the WebAssembly text format (Spec 6.3.1 integers, 6.3.2 floats) where it has
/// one. <see cref="ToText"/> prints a form that parses back to the same bits, NaN payloads
/// included.
/// </summary>
public sealed partial class Value
{
    private const uint F32SignBit = 0x8000_0000;
    private const uint F32ExponentMask = 0x7F80_0000;
    private const uint F32PayloadMask = 0x007F_FFFF;
    private const uint F32CanonicalPayload = 0x0040_0000; // the quiet bit alone (Spec 4.3.3 canonical NaN)
    private const ulong F64SignBit = 0x8000_0000_0000_0000;
    private const ulong F64ExponentMask = 0x7FF0_0000_0000_0000;
    private const ulong F64PayloadMask = 0x000F_FFFF_FFFF_FFFF;
    private const ulong F64CanonicalPayload = 0x0008_0000_0000_0000;

    /// <summary>Parses <c>TYPE:LITERAL</c> (see the class remarks).</summary>
    /// <exception cref="FormatException">The text is not a value; the message says why.</exception>
    public static Value Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var error = TryParseCore(text, out var value);
        return error is null ? value! : throw new FormatException(error);
    }

    /// <summary>Parses <c>TYPE:LITERAL</c>; false if the text is not a value.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Value? value)
    {
        if (text is null)
        {
            value = null;
            return false;
        }
        return TryParseCore(text, out value) is null;
    }

    /// <summary>The <c>TYPE:LITERAL</c> form, which <see cref="Parse"/> reads back to the same bits.</summary>
    public string ToText() => KindCase switch
    {
        KindOneofCase.I32 => "i32:" + I32.ToString(CultureInfo.InvariantCulture),
        KindOneofCase.I64 => "i64:" + I64.ToString(CultureInfo.InvariantCulture),
        KindOneofCase.F32 => "f32:" + FormatF32(F32),
        KindOneofCase.F64 => "f64:" + FormatF64(F64),
        KindOneofCase.V128 => "v128:" + Convert.ToHexStringLower(V128.Span),
        KindOneofCase.Funcref => "funcref:" + FormatReference(Funcref),
        KindOneofCase.Externref => "externref:" + FormatReference(Externref),
        _ => "none",
    };

    /// <returns>Null on success, otherwise why the text is not a value.</returns>
    private static string? TryParseCore(string text, out Value? value)
    {
        value = null;
        var colon = text.IndexOf(':');
        if (colon < 0)
        {
            return $"'{text}' is not TYPE:VALUE (for example i32:5 or f64:1.5).";
        }
        var type = text.AsSpan(0, colon).Trim();
        var literal = text.AsSpan(colon + 1).Trim();
        if (type.Equals("i32", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseInteger(literal, 32, out var bits)) return $"'{literal}' is not an i32.";
            value = FromI32(unchecked((int)(uint)bits));
        }
        else if (type.Equals("i64", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseInteger(literal, 64, out var bits)) return $"'{literal}' is not an i64.";
            value = FromI64(unchecked((long)bits));
        }
        else if (type.Equals("f32", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseF32(literal, out var bits)) return $"'{literal}' is not an f32.";
            value = FromF32Bits(bits);
        }
        else if (type.Equals("f64", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseF64(literal, out var bits)) return $"'{literal}' is not an f64.";
            value = FromF64Bits(bits);
        }
        else if (type.Equals("v128", StringComparison.OrdinalIgnoreCase))
        {
            Span<byte> bytes = stackalloc byte[V128Length];
            if (literal.Length != 2 * V128Length
                || Convert.FromHexString(literal, bytes, out _, out var written) != System.Buffers.OperationStatus.Done
                || written != V128Length)
            {
                return $"'{literal}' is not a v128: give {2 * V128Length} hex digits, bytes in memory order.";
            }
            value = FromV128(bytes);
        }
        else if (type.Equals("funcref", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseReference(literal, out var reference)) return $"'{literal}' is not a funcref: give null or a handle.";
            value = new Value { Funcref = reference };
        }
        else if (type.Equals("externref", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseReference(literal, out var reference)) return $"'{literal}' is not an externref: give null or a handle.";
            value = new Value { Externref = reference };
        }
        else if (TryParseLanes(type, literal, out value, out var laneError))
        {
            return laneError;
        }
        else
        {
            return $"Unknown type '{type}': expected i32, i64, f32, f64, v128 (or its lanes: i8x16, i16x8, i32x4, i64x2, f32x4, f64x2), funcref or externref.";
        }
        return null;
    }

    /// <summary>
    /// An integer of <paramref name="width"/> bits, signed or unsigned, decimal or 0x hex (Spec
    /// 6.3.1: the text format accepts both ranges, -2^(N-1) to 2^N-1). Returns the bits.
    /// </summary>
    private static bool TryParseInteger(ReadOnlySpan<char> text, int width, out ulong bits)
    {
        bits = 0;
        var negative = false;
        if (text.Length > 0 && (text[0] == '-' || text[0] == '+'))
        {
            negative = text[0] == '-';
            text = text[1..];
        }
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (hex) text = text[2..];
        if (text.IsEmpty) return false;

        var style = hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None;
        if (!ulong.TryParse(text, style, CultureInfo.InvariantCulture, out var magnitude)) return false;

        var unsignedMax = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        var negativeMax = 1UL << (width - 1); // |-2^(N-1)|
        if (negative ? magnitude > negativeMax : magnitude > unsignedMax) return false;

        bits = (negative ? unchecked(0UL - magnitude) : magnitude) & unsignedMax;
        return true;
    }

    private static bool TryParseF32(ReadOnlySpan<char> text, out uint bits)
    {
        bits = 0;
        var sign = TakeSign(ref text) ? F32SignBit : 0;
        if (TryParseNaN(text, F32CanonicalPayload, F32PayloadMask, out var payload))
        {
            bits = sign | F32ExponentMask | (uint)payload;
            return true;
        }
        if (IsInfinity(text))
        {
            bits = sign | F32ExponentMask;
            return true;
        }
        // Decimal only: float.Parse rounds to nearest-even as Spec 6.3.2 asks (.NET Core 3.0+).
        if (!IsDecimal(text) || !float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return false;
        bits = sign | BitConverter.SingleToUInt32Bits(number);
        return true;
    }

    private static bool TryParseF64(ReadOnlySpan<char> text, out ulong bits)
    {
        bits = 0;
        var sign = TakeSign(ref text) ? F64SignBit : 0;
        if (TryParseNaN(text, F64CanonicalPayload, F64PayloadMask, out var payload))
        {
            bits = sign | F64ExponentMask | payload;
            return true;
        }
        if (IsInfinity(text))
        {
            bits = sign | F64ExponentMask;
            return true;
        }
        if (!IsDecimal(text) || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return false;
        bits = sign | BitConverter.DoubleToUInt64Bits(number);
        return true;
    }

    /// <summary>Removes a leading sign; true for '-'. The sign is applied to the bits afterwards so that -0 and -nan keep it.</summary>
    private static bool TakeSign(ref ReadOnlySpan<char> text)
    {
        if (text.Length > 0 && (text[0] == '-' || text[0] == '+'))
        {
            var negative = text[0] == '-';
            text = text[1..];
            return negative;
        }
        return false;
    }

    /// <summary><c>nan</c> (the canonical payload) or <c>nan:0xP</c> with 1 ≤ P ≤ the payload mask (Spec 6.3.2).</summary>
    private static bool TryParseNaN(ReadOnlySpan<char> text, ulong canonical, ulong mask, out ulong payload)
    {
        payload = 0;
        if (!text.StartsWith("nan", StringComparison.OrdinalIgnoreCase)) return false;
        var rest = text[3..];
        if (rest.IsEmpty)
        {
            payload = canonical;
            return true;
        }
        if (!rest.StartsWith(":0x", StringComparison.OrdinalIgnoreCase)) return false;
        return ulong.TryParse(rest[3..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out payload)
            && payload != 0 // a zero payload would be infinity, not a NaN
            && payload <= mask;
    }

    private static bool IsInfinity(ReadOnlySpan<char> text) =>
        text.Equals("inf", StringComparison.OrdinalIgnoreCase) || text.Equals("infinity", StringComparison.OrdinalIgnoreCase);

    /// <summary>Digits with an optional fraction and exponent, unsigned; keeps float.Parse from accepting "NaN", "∞" or a second sign.</summary>
    private static bool IsDecimal(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || !char.IsAsciiDigit(text[0]) && text[0] != '.') return false;
        foreach (var c in text)
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-')) return false;
        }
        return true;
    }

    private static bool TryParseReference(ReadOnlySpan<char> text, [NotNullWhen(true)] out Reference? reference)
    {
        reference = null;
        if (text.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            reference = new Reference();
            return true;
        }
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var handle)) return false;
        reference = new Reference { Handle = handle };
        return true;
    }

    private static string FormatF32(uint bits)
    {
        var sign = (bits & F32SignBit) != 0 ? "-" : "";
        var payload = bits & F32PayloadMask;
        if ((bits & F32ExponentMask) == F32ExponentMask)
        {
            return payload == 0 ? sign + "inf"
                : payload == F32CanonicalPayload ? sign + "nan"
                : $"{sign}nan:0x{payload:x}";
        }
        // "R" is the shortest string that parses back to the same float; the sign of -0 is kept.
        return BitConverter.UInt32BitsToSingle(bits).ToString("R", CultureInfo.InvariantCulture);
    }

    private static string FormatF64(ulong bits)
    {
        var sign = (bits & F64SignBit) != 0 ? "-" : "";
        var payload = bits & F64PayloadMask;
        if ((bits & F64ExponentMask) == F64ExponentMask)
        {
            return payload == 0 ? sign + "inf"
                : payload == F64CanonicalPayload ? sign + "nan"
                : $"{sign}nan:0x{payload:x}";
        }
        return BitConverter.UInt64BitsToDouble(bits).ToString("R", CultureInfo.InvariantCulture);
    }

    private static string FormatReference(Reference reference) =>
        reference.HasHandle ? reference.Handle.ToString(CultureInfo.InvariantCulture) : "null";
}

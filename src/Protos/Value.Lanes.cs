using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Text;

namespace Sandbox.V1;

/// <summary>
/// The lane forms of a v128's text (the shapes of the text format's <c>v128.const</c>, Spec 6.5): <c>i8x16:</c>,
/// <c>i16x8:</c>, <c>i32x4:</c>, <c>i64x2:</c> with comma-separated integers (signed or unsigned,
/// decimal or 0x hex, each in its lane's range), and <c>f32x4:</c>, <c>f64x2:</c> with floats
/// as <c>f32:</c>/<c>f64:</c> take them (nan, nan:0xP, inf). Lane 0 is first, the lowest address.
/// </summary>
public sealed partial class Value
{
    /// <summary>The lane shapes a v128 can be written in: i8x16, i16x8, i32x4, i64x2, f32x4, f64x2.</summary>
    public static readonly IReadOnlyList<string> V128Shapes = ["i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2"];

    /// <summary>A v128 from a vector of its 16 bytes (element 0 is byte 0, the lowest address).</summary>
    public static Value FromV128(Vector128<byte> bytes)
    {
        Span<byte> span = stackalloc byte[V128Length];
        bytes.CopyTo(span);
        return FromV128(span);
    }

    /// <summary>A v128 printed in <paramref name="shape"/> lanes: <c>i32x4:1,2,3,-4</c> (integers signed).</summary>
    /// <exception cref="ArgumentException"><paramref name="shape"/> is not one of <see cref="V128Shapes"/>.</exception>
    /// <exception cref="InvalidOperationException">The value is not a v128 of 16 bytes.</exception>
    public string ToLaneText(string shape)
    {
        if (KindCase != KindOneofCase.V128 || V128.Length != V128Length) throw new InvalidOperationException("not a v128 value");
        var (width, isFloat) = LaneShape(shape) ?? throw new ArgumentException($"'{shape}' is not a lane shape: expected {string.Join(", ", V128Shapes)}.", nameof(shape));
        var bytes = V128.Span;
        var text = new StringBuilder(shape.ToLowerInvariant()).Append(':');
        for (var offset = 0; offset < V128Length; offset += width)
        {
            if (offset > 0) text.Append(',');
            var lane = bytes.Slice(offset, width);
            text.Append((width, isFloat) switch
            {
                (1, _) => ((sbyte)lane[0]).ToString(CultureInfo.InvariantCulture),
                (2, _) => BinaryPrimitives.ReadInt16LittleEndian(lane).ToString(CultureInfo.InvariantCulture),
                (4, false) => BinaryPrimitives.ReadInt32LittleEndian(lane).ToString(CultureInfo.InvariantCulture),
                (4, true) => FormatF32(BinaryPrimitives.ReadUInt32LittleEndian(lane)),
                (_, false) => BinaryPrimitives.ReadInt64LittleEndian(lane).ToString(CultureInfo.InvariantCulture),
                _ => FormatF64(BinaryPrimitives.ReadUInt64LittleEndian(lane)),
            });
        }
        return text.ToString();
    }

    /// <summary>Lane width in bytes and whether the lanes are floats, or null if <paramref name="shape"/> is not a lane shape.</summary>
    private static (int Width, bool IsFloat)? LaneShape(ReadOnlySpan<char> shape) =>
        shape.Equals("i8x16", StringComparison.OrdinalIgnoreCase) ? (1, false)
        : shape.Equals("i16x8", StringComparison.OrdinalIgnoreCase) ? (2, false)
        : shape.Equals("i32x4", StringComparison.OrdinalIgnoreCase) ? (4, false)
        : shape.Equals("i64x2", StringComparison.OrdinalIgnoreCase) ? (8, false)
        : shape.Equals("f32x4", StringComparison.OrdinalIgnoreCase) ? (4, true)
        : shape.Equals("f64x2", StringComparison.OrdinalIgnoreCase) ? (8, true)
        : null;

    /// <summary>
    /// Parses the lanes of <paramref name="literal"/> when <paramref name="type"/> is a lane shape.
    /// </summary>
    /// <returns>False when <paramref name="type"/> is no lane shape; otherwise true, with
    /// <paramref name="error"/> null on success or saying which lane is wrong.</returns>
    private static bool TryParseLanes(ReadOnlySpan<char> type, ReadOnlySpan<char> literal, out Value? value, out string? error)
    {
        value = null;
        error = null;
        if (LaneShape(type) is not var (width, isFloat)) return false;
        var count = V128Length / width;
        Span<byte> bytes = stackalloc byte[V128Length];
        var lane = 0;
        foreach (var range in literal.Split(','))
        {
            var text = literal[range].Trim();
            if (lane == count)
            {
                error = $"'{literal}' has more than {count} lanes: {type.ToString().ToLowerInvariant()} takes {count}, comma-separated.";
                return true;
            }
            var destination = bytes.Slice(lane * width, width);
            var parsed = isFloat
                ? width == 4 ? TryParseF32(text, out var f32) && Write(destination, f32) : TryParseF64(text, out var f64) && Write(destination, f64)
                : TryParseInteger(text, width * 8, out var bits) && Write(destination, bits);
            if (!parsed)
            {
                error = $"{type.ToString().ToLowerInvariant()} lane {lane}: '{text}' is not {(isFloat ? width == 4 ? "an f32" : "an f64" : $"an i{width * 8}")}.";
                return true;
            }
            lane++;
        }
        if (lane != count)
        {
            error = $"'{literal}' has {lane} lanes; {type.ToString().ToLowerInvariant()} takes {count}, comma-separated.";
            return true;
        }
        value = FromV128(bytes);
        return true;
    }

    // Little-endian lane bytes, the first width bytes of the value (v128.store's order).
    private static bool Write(Span<byte> destination, ulong bits)
    {
        Span<byte> all = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(all, bits);
        all[..destination.Length].CopyTo(destination);
        return true;
    }
}

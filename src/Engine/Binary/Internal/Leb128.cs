namespace Sandbox.Engine.Binary.Internal;

/// <summary>
/// LEB128 decoding with the limits of Spec 5.2.2: an N-bit integer takes at most ceil(N/7)
/// bytes, and the bits of the last byte that lie beyond N must be zero (unsigned) or copies of
/// the sign bit (signed). Pure functions over a span so they can be table-tested.
/// </summary>
internal static class Leb128
{
    private const int PayloadBits = 7;
    private const byte ContinuationBit = 0x80;
    private const byte PayloadMask = 0x7F;

    /// <summary>Reads an unsigned integer of <paramref name="bits"/> bits (32 or 64).</summary>
    public static Leb128Status TryReadUnsigned(ReadOnlySpan<byte> input, int bits, out ulong value, out int length)
    {
        var maxBytes = (bits + PayloadBits - 1) / PayloadBits;
        value = 0;
        for (var i = 0; i < maxBytes; i++)
        {
            if (i >= input.Length)
            {
                length = i;
                return Leb128Status.UnexpectedEnd;
            }
            var b = input[i];
            if (i == maxBytes - 1)
            {
                length = i + 1;
                if ((b & ContinuationBit) != 0) return Leb128Status.TooLong;
                var usedBits = bits - PayloadBits * i;
                var unusedMask = PayloadMask & ~((1 << usedBits) - 1);
                if ((b & unusedMask) != 0) return Leb128Status.TooLarge;
            }
            value |= (ulong)(b & PayloadMask) << (PayloadBits * i);
            if ((b & ContinuationBit) == 0)
            {
                length = i + 1;
                return Leb128Status.Ok;
            }
        }
        throw new InvalidOperationException("unreachable: the last byte always returns");
    }

    /// <summary>Reads a signed integer of <paramref name="bits"/> bits (32, 33 or 64), sign-extended to 64.</summary>
    public static Leb128Status TryReadSigned(ReadOnlySpan<byte> input, int bits, out long value, out int length)
    {
        var maxBytes = (bits + PayloadBits - 1) / PayloadBits;
        long result = 0;
        value = 0;
        for (var i = 0; i < maxBytes; i++)
        {
            if (i >= input.Length)
            {
                length = i;
                return Leb128Status.UnexpectedEnd;
            }
            var b = input[i];
            var shift = PayloadBits * i;
            if (i == maxBytes - 1)
            {
                length = i + 1;
                if ((b & ContinuationBit) != 0) return Leb128Status.TooLong;
                var usedBits = bits - shift;
                var unusedMask = PayloadMask & ~((1 << usedBits) - 1);
                var signSet = (b & (1 << (usedBits - 1))) != 0;
                if ((b & unusedMask) != (signSet ? unusedMask : 0)) return Leb128Status.TooLarge;
            }
            result |= (long)(b & PayloadMask) << shift;
            if ((b & ContinuationBit) == 0)
            {
                length = i + 1;
                shift += PayloadBits;
                // Sign-extend from the last payload bit read.
                if (shift < 64 && (b & 0x40) != 0) result |= -1L << shift;
                value = result;
                return Leb128Status.Ok;
            }
        }
        throw new InvalidOperationException("unreachable: the last byte always returns");
    }
}

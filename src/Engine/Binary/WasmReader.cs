using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using Sandbox.Engine.Binary.Internal;

namespace Sandbox.Engine.Binary;

/// <summary>
/// A forward reader over part of a module binary (Spec 5.1/5.2): bytes, LEB128 integers with the
/// spec's size limits, IEEE 754 bit patterns and UTF-8 names. Every failure is a
/// <see cref="DecodeException"/> carrying the absolute byte offset in the module.
/// </summary>
/// <remarks>
/// A reader over a section or function body reports running off its end as "unexpected end of
/// section or function", as the reference interpreter does; the reader over the whole module
/// says "unexpected end".
/// </remarks>
public ref struct WasmReader
{
    private const string EndOfModule = "unexpected end";
    private const string EndOfSection = "unexpected end of section or function";

    private readonly ReadOnlySpan<byte> bytes;
    private readonly int baseOffset;
    private readonly bool isModule;
    private int position;

    /// <summary>Reads a whole module binary (offsets count from 0).</summary>
    public WasmReader(ReadOnlySpan<byte> module)
        : this(module, 0, isModule: true)
    {
    }

    /// <summary>Reads a part of a module that starts at <paramref name="baseOffset"/> in the binary.</summary>
    public WasmReader(ReadOnlySpan<byte> part, int baseOffset)
        : this(part, baseOffset, isModule: false)
    {
    }

    private WasmReader(ReadOnlySpan<byte> bytes, int baseOffset, bool isModule)
    {
        this.bytes = bytes;
        this.baseOffset = baseOffset;
        this.isModule = isModule;
    }

    /// <summary>The position within this reader's bytes.</summary>
    /// <remarks>Settable so a caller can re-read a run of immediates (br_table's targets).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">Set outside 0..<see cref="Length"/>.</exception>
    public int Position
    {
        readonly get => position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, bytes.Length);
            position = value;
        }
    }

    /// <summary>The absolute offset of <see cref="Position"/> in the module binary.</summary>
    public readonly int Offset => baseOffset + position;

    /// <summary>The number of bytes this reader covers.</summary>
    public readonly int Length => bytes.Length;

    /// <summary>The number of bytes not read yet.</summary>
    public readonly int Remaining => bytes.Length - position;

    /// <summary>True when every byte has been read.</summary>
    public readonly bool IsAtEnd => position >= bytes.Length;

    /// <summary>The bytes not read yet.</summary>
    public readonly ReadOnlySpan<byte> Rest => bytes[position..];

    /// <summary>A reader over the next <paramref name="length"/> bytes, which this reader skips.</summary>
    public WasmReader Slice(int length)
    {
        var start = position;
        Skip(length);
        return new WasmReader(bytes.Slice(start, length), baseOffset + start, isModule: false);
    }

    /// <summary>One byte.</summary>
    public byte ReadByte()
    {
        if (position >= bytes.Length) ThrowUnexpectedEnd(Offset);
        return bytes[position++];
    }

    /// <summary>The next byte, without consuming it.</summary>
    public readonly byte PeekByte()
    {
        if (position >= bytes.Length) ThrowUnexpectedEnd(Offset);
        return bytes[position];
    }

    /// <summary>Skips <paramref name="count"/> bytes; running past the end throws as any read would.</summary>
    public void Skip(int count)
    {
        if ((uint)count > (uint)Remaining) ThrowUnexpectedEnd(baseOffset + bytes.Length);
        position += count;
    }

    /// <summary>The next <paramref name="count"/> bytes, as a view into the module (no copy).</summary>
    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        var start = position;
        Skip(count);
        return bytes.Slice(start, count);
    }

    /// <summary>u32 (Spec 5.2.2), with a one-byte fast path since most indices are small.</summary>
    public uint ReadU32()
    {
        if (position < bytes.Length && bytes[position] < 0x80) return bytes[position++];
        return (uint)ReadUnsigned(32);
    }

    /// <summary>u64 (Spec 5.2.2): at most 10 bytes.</summary>
    public ulong ReadU64() => ReadUnsigned(64);

    /// <summary>s32 (Spec 5.2.2), the immediate of i32.const: at most 5 bytes.</summary>
    public int ReadS32() => (int)ReadSigned(32);

    /// <summary>s33, the encoding of a block type's type index (Spec 5.4.1).</summary>
    public long ReadS33() => ReadSigned(33);

    /// <summary>s64 (Spec 5.2.2), the immediate of i64.const: at most 10 bytes.</summary>
    public long ReadS64() => ReadSigned(64);

    /// <summary>An f32 as its raw little-endian bits, so NaN payloads are kept (Spec 5.2.3).</summary>
    public uint ReadF32Bits() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));

    /// <summary>An f64 as its raw little-endian bits (Spec 5.2.3).</summary>
    public ulong ReadF64Bits() => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8));

    /// <summary>
    /// A vector length or byte count (u32) that must fit in what is left: "length out of bounds"
    /// otherwise, before anything is allocated for it.
    /// </summary>
    public int ReadLength()
    {
        var start = Offset;
        var length = ReadU32();
        if (length > (uint)Remaining) ThrowDecode("length out of bounds", start);
        return (int)length;
    }

    /// <summary>A name (Spec 5.2.4): a byte vector that must be valid UTF-8.</summary>
    public string ReadName()
    {
        var length = ReadLength();
        var start = Offset;
        var utf8 = ReadBytes(length);
        if (!Utf8.IsValid(utf8)) ThrowDecode("malformed UTF-8 encoding", start);
        return Encoding.UTF8.GetString(utf8);
    }

    /// <summary>
    /// A value type (Spec 5.3.1). v128 is accepted here; the validator decides whether SIMD is
    /// supported.
    /// </summary>
    public ValueType ReadValueType()
    {
        var start = Offset;
        var b = ReadByte();
        return b switch
        {
            (byte)ValueType.I32 or (byte)ValueType.I64 or (byte)ValueType.F32 or (byte)ValueType.F64
                or (byte)ValueType.V128 or (byte)ValueType.FuncRef or (byte)ValueType.ExternRef => (ValueType)b,
            _ => ThrowDecode<ValueType>("malformed value type", start),
        };
    }

    /// <summary>A reference type (Spec 5.3.3): funcref or externref.</summary>
    public ValueType ReadReferenceType()
    {
        var start = Offset;
        var b = ReadByte();
        return b is (byte)ValueType.FuncRef or (byte)ValueType.ExternRef
            ? (ValueType)b
            : ThrowDecode<ValueType>("malformed reference type", start);
    }

    /// <summary>A reserved byte that must be zero (memory index of memory.size/grow and friends).</summary>
    public void ReadZeroByte()
    {
        var start = Offset;
        if (ReadByte() != 0) ThrowDecode("zero byte expected", start);
    }

    private ulong ReadUnsigned(int bits)
    {
        var start = Offset;
        var status = Leb128.TryReadUnsigned(Rest, bits, out var value, out var length);
        position += length;
        if (status != Leb128Status.Ok) ThrowLeb128(status, start, Offset);
        return value;
    }

    private long ReadSigned(int bits)
    {
        var start = Offset;
        var status = Leb128.TryReadSigned(Rest, bits, out var value, out var length);
        position += length;
        if (status != Leb128Status.Ok) ThrowLeb128(status, start, Offset);
        return value;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowLeb128(Leb128Status status, int start, int end)
    {
        switch (status)
        {
            case Leb128Status.UnexpectedEnd:
                ThrowUnexpectedEnd(end);
                break;
            case Leb128Status.TooLong:
                ThrowDecode("integer representation too long", start);
                break;
            default:
                ThrowDecode("integer too large", start);
                break;
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowUnexpectedEnd(int offset) =>
        throw new DecodeException(isModule ? EndOfModule : EndOfSection, offset);

    /// <summary>Throws a <see cref="DecodeException"/>; a throw helper so callers stay small.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowDecode(string message, long offset) => throw new DecodeException(message, offset);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T ThrowDecode<T>(string message, long offset) => throw new DecodeException(message, offset);
}

using System.Buffers.Binary;

namespace Sandbox.Engine.Wasi.Internal;

/// <summary>
/// The calling instance's memory as WASI functions see it: every pointer and length the guest
/// passes is checked against the memory's current size in 64-bit arithmetic (so ptr + len cannot
/// wrap), and a range outside it is EFAULT, never a host read or write.
/// </summary>
/// <remarks>WASI preview 1 pointers are u32; the i32 the guest passes is reinterpreted as unsigned.</remarks>
internal readonly unsafe struct GuestMemory(Memory memory)
{
    public Span<byte> Slice(int pointer, int length) => Slice((uint)pointer, (uint)length);

    public Span<byte> Slice(uint pointer, uint length)
    {
        var size = memory.ByteLength;
        if ((ulong)pointer + length > size || length > int.MaxValue) throw WasiErrorException.Of(WasiErrno.Fault);
        return new Span<byte>(memory.Base + pointer, (int)length);
    }

    public uint ReadU32(uint pointer) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(pointer, 4));

    public ulong ReadU64(uint pointer) => BinaryPrimitives.ReadUInt64LittleEndian(Slice(pointer, 8));

    public ushort ReadU16(uint pointer) => BinaryPrimitives.ReadUInt16LittleEndian(Slice(pointer, 2));

    public byte ReadU8(uint pointer) => Slice(pointer, 1)[0];

    public void WriteU8(uint pointer, byte value) => Slice(pointer, 1)[0] = value;

    public void WriteU16(uint pointer, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Slice(pointer, 2), value);

    public void WriteU32(uint pointer, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Slice(pointer, 4), value);

    public void WriteU64(uint pointer, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Slice(pointer, 8), value);

    /// <summary>A path argument: EFAULT outside memory, then <see cref="PathResolver.Decode"/>'s checks.</summary>
    public string ReadPath(int pointer, int length)
    {
        if ((uint)length > PathResolver.MaxPathBytes)
        {
            Slice(pointer, length); // EFAULT first when the range is not even in memory
            throw WasiErrorException.Of(WasiErrno.NameTooLong);
        }
        return PathResolver.Decode(Slice(pointer, length));
    }

    /// <summary>
    /// Checks the iovec array at <paramref name="pointer"/> (<paramref name="count"/> entries of
    /// buf u32, buf_len u32) and every buffer it names, before any byte moves: a bad entry
    /// anywhere is EFAULT with nothing read or written. Then <see cref="Iovec"/> may index it.
    /// </summary>
    public void CheckIovecs(int pointer, int count, out ulong totalLength)
    {
        if ((uint)count > uint.MaxValue / WasiAbi.IovecSize) throw WasiErrorException.Of(WasiErrno.Fault);
        var array = Slice((uint)pointer, (uint)count * WasiAbi.IovecSize);
        totalLength = 0;
        for (var i = 0; i < count; i++)
        {
            var buf = BinaryPrimitives.ReadUInt32LittleEndian(array.Slice(i * 8));
            var len = BinaryPrimitives.ReadUInt32LittleEndian(array.Slice(i * 8 + 4));
            Slice(buf, len);
            totalLength += len;
        }
    }

    /// <summary>Buffer <paramref name="index"/> of an iovec array already passed to <see cref="CheckIovecs"/>.</summary>
    public Span<byte> Iovec(int arrayPointer, int index)
    {
        var at = (uint)arrayPointer + (uint)index * (uint)WasiAbi.IovecSize;
        return Slice(ReadU32(at), ReadU32(at + 4));
    }
}

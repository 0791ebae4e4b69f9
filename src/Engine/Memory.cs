using System.Buffers.Binary;
using Sandbox.Engine.Runtime;

namespace Sandbox.Engine;

/// <summary>
/// A linear memory (Spec 4.2.8): bytes in native memory whose base address never moves while the
/// memory lives. The address space up to the maximum is reserved at creation and committed as
/// the memory grows, with an inaccessible guard region after it.
/// </summary>
/// <remarks>
/// Hazard: a span from <see cref="GetSpan"/> is valid only until the memory is disposed; growth
/// does not invalidate it (the base never moves) but it does not cover new pages either.
/// The memory is freed by <see cref="Dispose"/> or, failing that, by its finalizer.
/// </remarks>
public sealed unsafe class Memory : Extern, IDisposable
{
    // Read by generated code: the fixed base and the current length in bytes.
    internal byte* Base;
    internal ulong Length;

    private readonly NativeRegion region;
    private readonly ulong maximumBytes;
    private readonly object growLock = new();

    /// <summary>Creates a memory of <paramref name="type"/>'s minimum size.</summary>
    /// <exception cref="ArgumentException">The minimum exceeds the maximum or the engine's limit.</exception>
    public Memory(MemoryType type, EngineOptions? options = null)
    {
        options ??= EngineOptions.Default;
        Type = type;
        var declaredMaxPages = type.Limits.Maximum ?? (type.Is64 ? ulong.MaxValue : 1UL << (32 - type.PageSizeLog2));
        maximumBytes = Math.Min(SaturatingBytes(declaredMaxPages, type.PageSizeLog2), options.MaxMemoryBytes);
        var minimumBytes = SaturatingBytes(type.Limits.Minimum, type.PageSizeLog2);
        if (minimumBytes > maximumBytes)
        {
            throw new ArgumentException($"memory minimum of {type.Limits.Minimum} pages exceeds the limit of {maximumBytes} bytes", nameof(type));
        }
        region = NativeRegion.Reserve(maximumBytes + options.GuardBytes);
        if (!region.Commit(minimumBytes)) throw new OutOfMemoryException($"cannot commit {minimumBytes} bytes of memory");
        Base = region.Base;
        Length = minimumBytes;
    }

    public override ExternalKind Kind => ExternalKind.Memory;

    /// <summary>The type the memory was created with (its current size may exceed the minimum).</summary>
    public MemoryType Type { get; }

    /// <summary>Bytes per page: 65536, or 1 with the custom-page-sizes proposal.</summary>
    public ulong PageSize => Type.PageSize;

    /// <summary>Current size in pages.</summary>
    public ulong Size => Volatile.Read(ref Length) >> Type.PageSizeLog2;

    /// <summary>Current size in bytes.</summary>
    public ulong ByteLength => Volatile.Read(ref Length);

    /// <summary>The declared maximum in pages, if any.</summary>
    public ulong? Maximum => Type.Limits.Maximum;

    /// <summary>
    /// Grows by <paramref name="deltaPages"/> (Spec 4.4.7.4 memory.grow): returns the old size in
    /// pages, or -1 (contents untouched) when the result would pass the maximum or the engine's limit.
    /// </summary>
    public long Grow(ulong deltaPages)
    {
        lock (growLock)
        {
            if (region.IsClosed) return -1;
            var oldLength = Length;
            var oldPages = oldLength >> Type.PageSizeLog2;
            if (deltaPages == 0) return (long)oldPages;
            if (deltaPages > (maximumBytes >> Type.PageSizeLog2) - oldPages) return -1;
            var newLength = oldLength + (deltaPages << Type.PageSizeLog2);
            if (!region.Commit(newLength)) return -1;
            Volatile.Write(ref Length, newLength);
            return (long)oldPages;
        }
    }

    /// <summary>A span over <paramref name="length"/> bytes at <paramref name="offset"/>, bounds-checked without overflow.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the memory.</exception>
    public Span<byte> GetSpan(ulong offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var size = ByteLength;
        if (offset > size || (ulong)length > size - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"range {offset}+{length} is outside the memory's {size} bytes");
        }
        return new Span<byte>(Base + offset, length);
    }

    /// <summary>Copies bytes out of the memory.</summary>
    public byte[] Read(ulong offset, int length) => GetSpan(offset, length).ToArray();

    /// <summary>Copies bytes into the memory.</summary>
    public void Write(ulong offset, ReadOnlySpan<byte> bytes) => bytes.CopyTo(GetSpan(offset, bytes.Length));

    public int ReadInt32(ulong offset) => BinaryPrimitives.ReadInt32LittleEndian(GetSpan(offset, 4));

    public long ReadInt64(ulong offset) => BinaryPrimitives.ReadInt64LittleEndian(GetSpan(offset, 8));

    public void WriteInt32(ulong offset, int value) => BinaryPrimitives.WriteInt32LittleEndian(GetSpan(offset, 4), value);

    public void WriteInt64(ulong offset, long value) => BinaryPrimitives.WriteInt64LittleEndian(GetSpan(offset, 8), value);

    /// <summary>
    /// Frees the native memory. Later guest accesses trap as out of bounds; the memory must not be
    /// disposed while a call is using it.
    /// </summary>
    public void Dispose()
    {
        lock (growLock)
        {
            Volatile.Write(ref Length, 0);
            Base = null;
            region.Dispose();
        }
    }

    /// <summary>memory.grow from generated code: pages as a signed i32, -1 on failure (Spec 4.4.7.4).</summary>
    internal int GrowFromGuest(int deltaPages) => (int)Grow((uint)deltaPages);

    private static ulong SaturatingBytes(ulong pages, int log2) =>
        pages > (ulong.MaxValue >> log2) ? ulong.MaxValue : pages << log2;
}

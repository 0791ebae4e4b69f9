using System.Buffers.Binary;
using Sandbox.Engine.Runtime;

namespace Sandbox.Engine;

/// <summary>
/// A linear memory (Spec 4.2.8): bytes in native memory whose base address never moves while the
/// memory lives. The address space up to the maximum is reserved at creation and committed as
/// the memory grows, with an inaccessible guard region after it.
/// </summary>
/// <remarks>
/// <para>
/// Hosts address the memory by offsets, never pointers: every read and write is checked against the
/// current size without overflow (as WAMR's <c>wasm_runtime_validate_app_addr</c>), and an offset
/// stays valid across growth. Hazard: a span from <see cref="GetSpan"/> is valid only until the
/// memory is disposed; growth does not invalidate it (the base never moves) but it does not cover
/// new pages either.
/// </para>
/// <para>
/// A shared memory (threads proposal) is used by several instances and threads at once: growth is
/// serialised by a lock, the new size is published with a volatile write, and since the whole
/// maximum is reserved up front the base never moves, so every user sees the growth.
/// </para>
/// <para>The memory is freed by <see cref="Dispose"/> or, failing that, by its finalizer (which does not tell the limiter).</para>
/// </remarks>
public sealed unsafe class Memory : Extern, IDisposable
{
    // Read by generated code: the fixed base and the current length in bytes.
    internal byte* Base;
    internal ulong Length;

    private readonly NativeRegion region;
    private readonly ulong maximumBytes;
    private readonly object growLock = new();
    private readonly IResourceLimiter? limiter;
    private WaitQueue? waiters;

    /// <summary>Creates a memory of <paramref name="type"/>'s minimum size.</summary>
    /// <param name="type">Limits, page size and sharing.</param>
    /// <param name="options">Engine limits (the maximum for a memory without one, the guard size).</param>
    /// <param name="limiter">Consulted for the minimum size now and before every growth; told when the memory is disposed.</param>
    /// <exception cref="ArgumentException">The minimum exceeds the maximum or the engine's limit.</exception>
    /// <exception cref="ResourceLimitException">The limiter refused the minimum size.</exception>
    public Memory(MemoryType type, EngineOptions? options = null, IResourceLimiter? limiter = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        options ??= EngineOptions.Default;
        Type = type;
        this.limiter = limiter;
        var declaredMaxPages = type.Limits.Maximum ?? (type.Is64 ? ulong.MaxValue : 1UL << (32 - type.PageSizeLog2));
        maximumBytes = Math.Min(SaturatingBytes(declaredMaxPages, type.PageSizeLog2), options.MaxMemoryBytes);
        var minimumBytes = SaturatingBytes(type.Limits.Minimum, type.PageSizeLog2);
        if (minimumBytes > maximumBytes)
        {
            throw new ArgumentException($"memory minimum of {type.Limits.Minimum} pages exceeds the limit of {maximumBytes} bytes", nameof(type));
        }
        // Asked before reserving anything, so a refusal leaves nothing to release.
        if (limiter is not null && !limiter.TryGrowMemory(this, 0, minimumBytes, out var refused))
        {
            throw new ResourceLimitException($"a memory of {minimumBytes} bytes ({type.Limits.Minimum} pages) exceeds the {refused}", refused);
        }
        try
        {
            region = NativeRegion.Reserve(maximumBytes + options.GuardBytes);
            if (!region.Commit(minimumBytes))
            {
                region.Dispose();
                throw new OutOfMemoryException($"cannot commit {minimumBytes} bytes of memory");
            }
        }
        catch (OutOfMemoryException)
        {
            limiter?.MemoryReleased(this, minimumBytes);
            throw;
        }
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
    /// The most bytes the memory can ever hold: the declared maximum capped by
    /// <see cref="EngineOptions.MaxMemoryBytes"/> (a limiter may refuse earlier).
    /// </summary>
    public ulong MaximumBytes => maximumBytes;

    /// <summary>True for a shared memory (threads proposal), usable by several instances and threads at once.</summary>
    public bool IsShared => Type.Shared;

    /// <summary>
    /// Grows by <paramref name="deltaPages"/> (Spec 4.4.7.4 memory.grow): returns the old size in
    /// pages, or -1 (contents untouched) when the result would pass the maximum or the engine's
    /// limit, or the limiter refuses. Thread-safe.
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
            if (limiter is not null && !limiter.TryGrowMemory(this, oldLength, newLength, out _)) return -1;
            if (!region.Commit(newLength))
            {
                limiter?.MemoryReleased(this, newLength - oldLength);
                return -1;
            }
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

    /// <summary>
    /// True when <paramref name="length"/> bytes at <paramref name="offset"/> lie inside the memory's
    /// current size (WAMR's <c>wasm_runtime_validate_app_addr</c>), computed without overflow.
    /// </summary>
    /// <remarks>A range valid now stays valid: memories only grow (until disposed).</remarks>
    public bool IsValidRange(ulong offset, ulong length)
    {
        var size = ByteLength;
        return offset <= size && length <= size - offset;
    }

    /// <summary>Copies bytes out of the memory.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the memory.</exception>
    public byte[] Read(ulong offset, int length) => GetSpan(offset, length).ToArray();

    /// <summary>Copies <paramref name="destination"/>.Length bytes at <paramref name="offset"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the memory.</exception>
    public void Read(ulong offset, Span<byte> destination) => GetSpan(offset, destination.Length).CopyTo(destination);

    /// <summary>Copies bytes into the memory.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the memory.</exception>
    public void Write(ulong offset, ReadOnlySpan<byte> bytes) => bytes.CopyTo(GetSpan(offset, bytes.Length));

    // Typed little-endian accessors (Spec 4.4.7.1: Wasm memory is little-endian whatever the host).
    // Each throws ArgumentOutOfRangeException when the value does not fit inside the memory.

    /// <summary>Reads the byte at <paramref name="offset"/>.</summary>
    public byte ReadByte(ulong offset) => GetSpan(offset, 1)[0];

    /// <summary>Writes the byte at <paramref name="offset"/>.</summary>
    public void WriteByte(ulong offset, byte value) => GetSpan(offset, 1)[0] = value;

    /// <summary>Reads a little-endian 16-bit integer.</summary>
    public short ReadInt16(ulong offset) => BinaryPrimitives.ReadInt16LittleEndian(GetSpan(offset, 2));

    /// <summary>Writes a little-endian 16-bit integer.</summary>
    public void WriteInt16(ulong offset, short value) => BinaryPrimitives.WriteInt16LittleEndian(GetSpan(offset, 2), value);

    /// <summary>Reads a little-endian 32-bit integer.</summary>
    public int ReadInt32(ulong offset) => BinaryPrimitives.ReadInt32LittleEndian(GetSpan(offset, 4));

    /// <summary>Writes a little-endian 32-bit integer.</summary>
    public void WriteInt32(ulong offset, int value) => BinaryPrimitives.WriteInt32LittleEndian(GetSpan(offset, 4), value);

    /// <summary>Reads a little-endian 64-bit integer.</summary>
    public long ReadInt64(ulong offset) => BinaryPrimitives.ReadInt64LittleEndian(GetSpan(offset, 8));

    /// <summary>Writes a little-endian 64-bit integer.</summary>
    public void WriteInt64(ulong offset, long value) => BinaryPrimitives.WriteInt64LittleEndian(GetSpan(offset, 8), value);

    /// <summary>Reads a little-endian 32-bit float, its bits kept exactly (NaN payloads included).</summary>
    public float ReadSingle(ulong offset) => BinaryPrimitives.ReadSingleLittleEndian(GetSpan(offset, 4));

    /// <summary>Writes a little-endian 32-bit float.</summary>
    public void WriteSingle(ulong offset, float value) => BinaryPrimitives.WriteSingleLittleEndian(GetSpan(offset, 4), value);

    /// <summary>Reads a little-endian 64-bit float.</summary>
    public double ReadDouble(ulong offset) => BinaryPrimitives.ReadDoubleLittleEndian(GetSpan(offset, 8));

    /// <summary>Writes a little-endian 64-bit float.</summary>
    public void WriteDouble(ulong offset, double value) => BinaryPrimitives.WriteDoubleLittleEndian(GetSpan(offset, 8), value);

    /// <summary>
    /// Frees the native memory. Later guest accesses trap as out of bounds; the memory must not be
    /// disposed while a call is using it.
    /// </summary>
    public void Dispose()
    {
        lock (growLock)
        {
            if (region.IsClosed) return;
            var released = Length;
            Volatile.Write(ref Length, 0);
            Base = null;
            region.Dispose();
            limiter?.MemoryReleased(this, released);
        }
    }

    /// <summary>The waiters of memory.atomic.wait on this memory, made on first use.</summary>
    internal WaitQueue Waiters => LazyInitializer.EnsureInitialized(ref waiters);

    /// <summary>memory.grow from generated code: pages as a signed i32, -1 on failure (Spec 4.4.7.4).</summary>
    internal int GrowFromGuest(int deltaPages) => (int)Grow((uint)deltaPages);

    private static ulong SaturatingBytes(ulong pages, int log2) =>
        pages > (ulong.MaxValue >> log2) ? ulong.MaxValue : pages << log2;
}

namespace Sandbox.Engine.Runtime;

/// <summary>
/// A first-fit free-list allocator over a region of an instance's memory that the host added at
/// instantiation (WAMR's app heap). Its bookkeeping lives in host objects, not in the region, so
/// the guest can scribble over the bytes but cannot corrupt the allocator: the worst it can do is
/// damage data the host put there.
/// </summary>
/// <remarks>
/// Free blocks are kept sorted by offset and coalesced with both neighbours on free, so freeing
/// everything restores one block spanning the region. Alignment padding before a block stays in the
/// free list. Thread-safe through one lock: the host API is not a hot path.
/// </remarks>
internal sealed class HostHeap : MemoryAllocator
{
    private readonly object gate = new();
    private readonly List<(ulong Offset, ulong Length)> free = [];
    private readonly Dictionary<ulong, ulong> used = [];

    public HostHeap(Memory memory, ulong offset, ulong length) : base(memory)
    {
        Offset = offset;
        Length = length;
        if (length > 0) free.Add((offset, length));
    }

    /// <summary>Where the region starts in the memory.</summary>
    public ulong Offset { get; }

    /// <summary>The region's size in bytes.</summary>
    public ulong Length { get; }

    public override string Name => "host heap";

    public override bool CanFree => true;

    // No guest code runs here, so the call options have nothing to limit.
    public override ulong? Malloc(ulong size, ulong alignment = 8, CallOptions? options = null)
    {
        CheckAlignment(alignment);
        // malloc(0) still gets a distinct block, so every offset given out can be freed once.
        size = Math.Max(size, 1);
        lock (gate)
        {
            for (var i = 0; i < free.Count; i++)
            {
                var (start, length) = free[i];
                var end = start + length;
                var aligned = AlignUp(start, alignment);
                if (aligned < start || aligned > end || size > end - aligned) continue; // AlignUp wrapped, or no room
                var tail = end - (aligned + size);
                // Replace the block by what is left either side of the allocation.
                free.RemoveAt(i);
                if (tail > 0) free.Insert(i, (aligned + size, tail));
                if (aligned > start) free.Insert(i, (start, aligned - start));
                used.Add(aligned, size);
                return aligned;
            }
            return null;
        }
    }

    public override void Free(ulong offset, CallOptions? options = null)
    {
        lock (gate)
        {
            if (!used.Remove(offset, out var size))
            {
                throw new ArgumentException($"offset {offset} is not an allocated block of the host heap (double free?)", nameof(offset));
            }
            var index = LowerBound(offset);
            var start = offset;
            var end = offset + size;
            // Coalesce with the previous block when it ends where this one starts, and with the next
            // when it starts where this one ends.
            if (index > 0 && free[index - 1].Offset + free[index - 1].Length == start)
            {
                index--;
                start = free[index].Offset;
                free.RemoveAt(index);
            }
            if (index < free.Count && free[index].Offset == end)
            {
                end += free[index].Length;
                free.RemoveAt(index);
            }
            free.Insert(index, (start, end - start));
        }
    }

    /// <summary>Bytes free in total (for tests and diagnostics).</summary>
    internal ulong FreeBytes
    {
        get
        {
            lock (gate)
            {
                ulong total = 0;
                foreach (var block in free) total += block.Length;
                return total;
            }
        }
    }

    /// <summary>The number of free blocks: 1 after everything is freed, thanks to coalescing.</summary>
    internal int FreeBlockCount
    {
        get
        {
            lock (gate) return free.Count;
        }
    }

    // The index of the first free block at or after offset.
    private int LowerBound(ulong offset)
    {
        int low = 0, high = free.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (free[middle].Offset < offset) low = middle + 1;
            else high = middle;
        }
        return low;
    }
}

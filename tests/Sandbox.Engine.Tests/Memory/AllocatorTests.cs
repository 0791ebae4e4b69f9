using Sandbox.Engine.Runtime;
using Sandbox.Engine.Tests.Support;

// Namespace named after issue 4 ("memory model"): "Memory" would hide the Sandbox.Engine.Memory type.
namespace Sandbox.Engine.Tests.MemoryModel;

/// <summary>
/// <see cref="Instance.Allocator"/>: through the guest's malloc/free, a Walt-style bump allocator,
/// AssemblyScript's __new/__pin/__unpin, and the host heap when the guest has none.
/// </summary>
public class AllocatorTests
{
    private const ulong Page = 65536;

    // A guest allocator of 64-byte blocks from 1040 (16- but not 32-aligned): free pushes onto a
    // list threaded through the blocks, malloc pops from it before bumping.
    private const string GuestMallocFree = """
        (module
          (memory (export "memory") 1)
          (global $bump (mut i32) (i32.const 1040))
          (global $free (mut i32) (i32.const 0))
          (func (export "malloc") (param $size i32) (result i32) (local $p i32)
            (if (i32.gt_u (local.get $size) (i32.const 64)) (then (return (i32.const 0))))
            (if (global.get $free)
              (then
                (local.set $p (global.get $free))
                (global.set $free (i32.load (local.get $p)))
                (return (local.get $p))))
            (local.set $p (global.get $bump))
            (global.set $bump (i32.add (global.get $bump) (i32.const 64)))
            (local.get $p))
          (func (export "free") (param $p i32)
            (i32.store (local.get $p) (global.get $free))
            (global.set $free (local.get $p))))
        """;

    // Walt's allocator: a bump pointer in a global, blocks start after the data (pointer = dataSize + offset).
    private const int WaltDataSize = 10;
    private const string WaltStyle = """
        (module
          (memory (export "memory") 1)
          (data (i32.const 0) "hello walt")
          (global $offset (mut i32) (i32.const 0))
          (func (export "malloc") (param $size i32) (result i32) (local $pointer i32)
            (local.set $pointer (i32.add (i32.const 10) (global.get $offset)))
            (global.set $offset (i32.add (global.get $offset) (local.get $size)))
            (local.get $pointer)))
        """;

    [WatFact]
    public void Malloc_GuestMallocFree_ReusesABlockAfterFree()
    {
        var instance = Wat.Instantiate(GuestMallocFree);
        var allocator = instance.Allocator!;

        var first = allocator.Malloc(32)!.Value;
        var second = allocator.Malloc(32)!.Value;
        allocator.Free(first);
        var third = allocator.Malloc(16)!.Value;

        Assert.Equal("malloc", allocator.Name);
        Assert.True(allocator.CanFree);
        Assert.Equal(1040UL, first);
        Assert.Equal(1104UL, second);
        Assert.Equal(first, third);
        Assert.Null(allocator.Malloc(65)); // the guest's malloc returned 0
    }

    [WatFact]
    public void Malloc_GuestBlockOutOfAlignment_RealignsAndFreesTheOriginalPointer()
    {
        var instance = Wat.Instantiate(GuestMallocFree);
        var allocator = instance.Allocator!;

        var realigned = allocator.Malloc(8, 32)!.Value; // 1040 is not 32-aligned: retried as 8 + 31 bytes and rounded up
        allocator.Free(realigned);
        var reused = allocator.Malloc(8, 16)!.Value;

        Assert.Equal(1056UL, realigned);
        Assert.Equal(1040UL, reused); // free got the guest's own pointer back, not the rounded one
    }

    [WatFact]
    public void Malloc_WaltStyleBumpAllocator_PlacesBlocksAfterTheData()
    {
        var instance = Wat.Instantiate(WaltStyle);
        var allocator = instance.Allocator!;
        var memory = allocator.Memory;

        var first = allocator.Malloc(4, 1)!.Value;
        var second = allocator.Malloc(6, 1)!.Value;
        memory.Write(first, "abcd"u8);
        allocator.Free(first); // a bump allocator cannot free: a no-op

        Assert.False(allocator.CanFree);
        Assert.Equal((ulong)WaltDataSize, first);
        Assert.Equal((ulong)WaltDataSize + 4, second);
        Assert.Equal("hello waltabcd"u8.ToArray(), memory.Read(0, 14));
        Assert.Equal(0UL, allocator.Malloc(16, 8)!.Value % 8);
    }

    [WatFact]
    public void Malloc_AssemblyScriptRuntime_CallsNewAndPinThenUnpin()
    {
        var instance = Wat.Instantiate("""
            (module
              (memory (export "memory") 1)
              (global $next (mut i32) (i32.const 256))
              (global $pinned (export "pinned") (mut i32) (i32.const 0))
              (func (export "__new") (param $size i32) (param $id i32) (result i32) (local $p i32)
                (local.set $p (global.get $next))
                (global.set $next (i32.add (global.get $next) (i32.const 64)))
                (local.get $p))
              (func (export "__pin") (param $p i32) (result i32)
                (global.set $pinned (i32.add (global.get $pinned) (i32.const 1)))
                (local.get $p))
              (func (export "__unpin") (param $p i32)
                (global.set $pinned (i32.sub (global.get $pinned) (i32.const 1)))))
            """);
        var allocator = instance.Allocator!;
        var pinned = instance.GetGlobal("pinned")!;

        var block = allocator.Malloc(10)!.Value;
        var pinnedAfterMalloc = pinned.Value.AsI32();
        allocator.Free(block);

        Assert.Equal("__new", allocator.Name);
        Assert.Equal(256UL, block);
        Assert.Equal(1, pinnedAfterMalloc);
        Assert.Equal(0, pinned.Value.AsI32());
    }

    [WatFact]
    public void Malloc_CanonicalAbiRealloc_PassesAlignmentAndSize()
    {
        var instance = Wat.Instantiate("""
            (module
              (memory (export "memory") 1)
              (global $next (mut i32) (i32.const 100))
              ;; cabi_realloc(old, old_size, align, new_size): a bump allocator honouring align.
              (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (local $p i32)
                (local.set $p (i32.and (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))
                                       (i32.sub (i32.const 0) (local.get 2))))
                (global.set $next (i32.add (local.get $p) (local.get 3)))
                (local.get $p)))
            """);
        var allocator = instance.Allocator!;

        var first = allocator.Malloc(10, 64)!.Value;
        var second = allocator.Malloc(1, 1)!.Value;

        Assert.Equal("cabi_realloc", allocator.Name);
        Assert.False(allocator.CanFree);
        Assert.Equal(128UL, first);  // 100 rounded up to 64 by the guest itself
        Assert.Equal(138UL, second);
    }

    [WatFact]
    public void Instantiate_ConfiguredAllocatorMissing_IsALinkError()
    {
        var module = Module.FromBytes(Wat.ToWasm(WaltStyle));

        var error = Assert.Throws<LinkException>(() =>
            new Linker().Instantiate(module, new InstanceOptions { Allocator = AllocatorExports.CanonicalAbi }));

        Assert.Contains("cabi_realloc", error.Message);
    }

    [WatFact]
    public void Malloc_HostHeap_ReusesAfterFreeAndCoalesces()
    {
        var instance = new Linker().Instantiate(
            Module.FromBytes(Wat.ToWasm("""(module (memory (export "memory") 1))""")),
            new InstanceOptions { HostHeapBytes = 4096 });
        var allocator = instance.Allocator!;

        var first = allocator.Malloc(100)!.Value;
        var second = allocator.Malloc(100)!.Value;
        allocator.Free(first);
        var reused = allocator.Malloc(50)!.Value;
        allocator.Free(reused);
        allocator.Free(second);
        var whole = allocator.Malloc(Page); // only possible if the three free blocks merged back into one

        Assert.Equal("host heap", allocator.Name);
        Assert.Equal(2UL, instance.GetMemory("memory")!.Size); // one page added for the heap
        Assert.Equal(Page, first);
        Assert.Equal(Page + 104, second); // 100 rounded up to the 8-byte alignment
        Assert.Equal(first, reused);
        Assert.Equal(Page, whole);
        Assert.Null(allocator.Malloc(1));
    }

    [WatFact]
    public void Free_HostHeapOffsetNotAllocated_Throws()
    {
        var instance = new Linker().Instantiate(
            Module.FromBytes(Wat.ToWasm("""(module (memory 1))""")), new InstanceOptions { HostHeapBytes = 1 });
        var allocator = instance.Allocator!;
        var block = allocator.Malloc(16)!.Value;
        allocator.Free(block);

        Assert.Throws<ArgumentException>(() => allocator.Free(block));
        Assert.Throws<ArgumentException>(() => allocator.Free(block + 8));
    }

    [WatFact]
    public void Malloc_HostHeapAfterGuestScribbles_BookkeepingUnharmed()
    {
        var instance = new Linker().Instantiate(Module.FromBytes(Wat.ToWasm("""
            (module
              (memory (export "memory") 1)
              (func (export "scribble") (memory.fill (i32.const 65536) (i32.const 0xff) (i32.const 65536))))
            """)), new InstanceOptions { HostHeapBytes = Page });
        var allocator = instance.Allocator!;
        var block = allocator.Malloc(64)!.Value;

        instance.GetFunction("scribble")!.Invoke();
        allocator.Free(block);

        Assert.Equal(block, allocator.Malloc(64));
        Assert.Equal(1, ((HostHeap)allocator).FreeBlockCount);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(16UL)]
    [InlineData(4096UL)]
    public void Malloc_HostHeapAlignment_OffsetIsAligned(ulong alignment)
    {
        using var memory = new Memory(new MemoryType(new Limits(2, 2)));
        var heap = new HostHeap(memory, 3, Page);
        heap.Malloc(5, 1);

        var block = heap.Malloc(32, alignment)!.Value;

        Assert.Equal(0UL, block % alignment);
        Assert.True(block >= 8);
    }

    [Fact]
    public void MallocFree_RandomSequence_BlocksNeverOverlapAndAllCoalesceBack()
    {
        using var memory = new Memory(new MemoryType(new Limits(1, 1)));
        var heap = new HostHeap(memory, 0, Page);
        var random = new Random(12345); // fixed seed: a failure reproduces
        var live = new Dictionary<ulong, ulong>();

        for (var step = 0; step < 5000; step++)
        {
            if (live.Count > 0 && random.Next(3) == 0)
            {
                var victim = live.Keys.ElementAt(random.Next(live.Count));
                heap.Free(victim);
                live.Remove(victim);
                continue;
            }
            var size = (ulong)random.Next(1, 600);
            var alignment = 1UL << random.Next(0, 7);
            if (heap.Malloc(size, alignment) is not { } block) continue; // full: fine, keep going
            Assert.Equal(0UL, block % alignment);
            Assert.True(block + size <= Page);
            foreach (var (other, otherSize) in live)
            {
                Assert.True(block + size <= other || other + otherSize <= block, $"{block}+{size} overlaps {other}+{otherSize}");
            }
            live.Add(block, size);
        }
        foreach (var block in live.Keys) heap.Free(block);

        Assert.Equal(1, heap.FreeBlockCount);
        Assert.Equal(Page, heap.FreeBytes);
    }

    [Fact]
    public void Malloc_AlignmentNotPowerOfTwo_Throws()
    {
        using var memory = new Memory(new MemoryType(new Limits(1, 1)));
        var heap = new HostHeap(memory, 0, Page);

        Assert.Throws<ArgumentException>(() => heap.Malloc(8, 3));
    }

    [WatFact]
    public void Instantiate_HostHeapBeyondMaximum_NamesTheHeap()
    {
        var module = Module.FromBytes(Wat.ToWasm("""(module (memory 1 1))"""));

        var error = Assert.Throws<ResourceLimitException>(() =>
            new Linker().Instantiate(module, new InstanceOptions { HostHeapBytes = 10 }));

        Assert.Equal("host heap", error.Limit);
    }
}

using Sandbox.Engine.Tests.Support;

namespace Sandbox.Engine.Tests.Runtime;

/// <summary>Linear memory on reserved native memory: growth, limits, a fixed base, host access.</summary>
public class MemoryTests
{
    [Fact]
    public unsafe void Grow_WithinMaximum_KeepsBaseAndContents()
    {
        using var memory = new Memory(new MemoryType(new Limits(1, 4)));
        memory.WriteInt64(65528, 0x0102030405060708);
        var before = (nint)memory.Base;

        var old = memory.Grow(3);

        Assert.Equal(1, old);
        Assert.Equal(4UL, memory.Size);
        Assert.Equal(before, (nint)memory.Base);
        Assert.Equal(0x0102030405060708, memory.ReadInt64(65528));
        Assert.Equal(0, memory.ReadInt64(4 * 65536 - 8)); // new pages read as zero
    }

    [Fact]
    public void Grow_PastMaximum_ReturnsMinusOneAndKeepsSize()
    {
        using var memory = new Memory(new MemoryType(new Limits(1, 2)));

        Assert.Equal(-1, memory.Grow(2));
        Assert.Equal(1UL, memory.Size);
    }

    [Fact]
    public void Grow_OneBytePages_CountsBytes()
    {
        using var memory = new Memory(new MemoryType(new Limits(3, 10), PageSizeLog2: 0));

        Assert.Equal(3, memory.Grow(1));
        Assert.Equal(4UL, memory.ByteLength);
    }

    [Theory]
    [InlineData(65536UL, 1)]
    [InlineData(65535UL, 2)]
    [InlineData(ulong.MaxValue, 1)]
    public void GetSpan_RangePastEnd_Throws(ulong offset, int length)
    {
        using var memory = new Memory(new MemoryType(new Limits(1, 1)));

        Assert.Throws<ArgumentOutOfRangeException>(() => memory.GetSpan(offset, length));
    }

    [Fact]
    public void Dispose_ThenHostRead_ThrowsInsteadOfTouchingFreedMemory()
    {
        var memory = new Memory(new MemoryType(new Limits(1, 1)));

        memory.Dispose();

        Assert.Equal(0UL, memory.ByteLength);
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.ReadInt32(0));
    }

    [WatFact]
    public void Invoke_MemoryGrowFromGuest_NewPagesAccessible()
    {
        var instance = Wat.Instantiate("""
            (module
              (memory (export "memory") 1 3)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "poke") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
              (func (export "size") (result i32) (memory.size)))
            """);
        var poke = instance.GetFunction("poke")!;
        Assert.Throws<TrapException>(() => poke.Invoke(65536, 1));

        var old = instance.GetFunction("grow")!.Invoke(1);
        poke.Invoke(65536, 42);

        Assert.Equal(1, old[0].AsI32());
        Assert.Equal(2, instance.GetFunction("size")!.Invoke()[0].AsI32());
        Assert.Equal(42, instance.GetMemory("memory")!.ReadInt32(65536));
        Assert.Equal(-1, instance.GetFunction("grow")!.Invoke(2)[0].AsI32());
    }

    [WatFact]
    public void Invoke_MemoryCopyOverlapping_CopiesAsThroughBuffer()
    {
        var instance = Wat.Instantiate("""
            (module
              (memory (export "memory") 1)
              (data (i32.const 0) "abcdef")
              (func (export "shift") (memory.copy (i32.const 2) (i32.const 0) (i32.const 4))))
            """);

        instance.GetFunction("shift")!.Invoke();

        Assert.Equal("ababcd"u8.ToArray(), instance.GetMemory("memory")!.Read(0, 6));
    }

    [WatFact]
    public void Dispose_Instance_FreesItsMemoryAndLaterAccessTraps()
    {
        var instance = Wat.Instantiate("""
            (module
              (memory (export "memory") 1)
              (func (export "load") (result i32) (i32.load (i32.const 0))))
            """);
        var memory = instance.GetMemory("memory")!;

        instance.Dispose();
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("load")!.Invoke());

        Assert.Equal(0UL, memory.ByteLength);
        Assert.Equal(TrapCode.MemoryOutOfBounds, trap.Code);
    }
}

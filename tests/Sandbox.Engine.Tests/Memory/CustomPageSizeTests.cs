// Namespace named after issue 4 ("memory model"): "Memory" would hide the Sandbox.Engine.Memory type.
namespace Sandbox.Engine.Tests.MemoryModel;

/// <summary>The custom-page-sizes proposal: a memory of 1-byte pages, grown from the guest one byte at a time.</summary>
public class CustomPageSizeTests
{
    // wat2wasm 1.0.32 cannot write a page size, so the module is written out byte by byte:
    //   (module
    //     (memory (export "memory") 0 8 (pagesize 1))
    //     (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    //     (func (export "size") (result i32) (memory.size)))
    private static readonly byte[] BytePages =
    [
        0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, // magic, version 1
        0x01, 0x0A, 0x02,                               // type section, 10 bytes, 2 types
        0x60, 0x01, 0x7F, 0x01, 0x7F,                   //   0: (i32) -> i32
        0x60, 0x00, 0x01, 0x7F,                         //   1: () -> i32
        0x03, 0x03, 0x02, 0x00, 0x01,                   // function section: 2 functions of types 0, 1
        0x05, 0x05, 0x01,                               // memory section, 5 bytes, 1 memory
        0x09, 0x00, 0x08, 0x00,                         //   flags 0x09 (max | custom page size), min 0, max 8, log2 page size 0
        0x07, 0x18, 0x03,                               // export section, 24 bytes, 3 exports
        0x06, 0x6D, 0x65, 0x6D, 0x6F, 0x72, 0x79, 0x02, 0x00, //   "memory" memory 0
        0x04, 0x67, 0x72, 0x6F, 0x77, 0x00, 0x00,       //   "grow" func 0
        0x04, 0x73, 0x69, 0x7A, 0x65, 0x00, 0x01,       //   "size" func 1
        0x0A, 0x0D, 0x02,                               // code section, 13 bytes, 2 bodies
        0x06, 0x00, 0x20, 0x00, 0x40, 0x00, 0x0B,       //   grow: no locals; local.get 0; memory.grow 0; end
        0x04, 0x00, 0x3F, 0x00, 0x0B,                   //   size: no locals; memory.size 0; end
    ];

    [Fact]
    public void MemoryGrow_OneBytePages_GrowsOneByteAtATime()
    {
        var instance = new Linker().Instantiate(Module.FromBytes(BytePages));
        var grow = instance.GetFunction("grow")!;
        var size = instance.GetFunction("size")!;
        var memory = instance.GetMemory("memory")!;

        for (var bytes = 0; bytes < 8; bytes++)
        {
            Assert.Equal(bytes, grow.Invoke(1)[0].AsI32());
            Assert.Equal(bytes + 1, size.Invoke()[0].AsI32());
            Assert.Equal((ulong)bytes + 1, memory.ByteLength);
            memory.WriteByte((ulong)bytes, (byte)(bytes + 1)); // the new byte is writable...
            Assert.False(memory.IsValidRange((ulong)bytes + 1, 1)); // ...and the next one is not yet
        }
        Assert.Equal(-1, grow.Invoke(1)[0].AsI32()); // the maximum is 8 bytes
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, memory.Read(0, 8));
        Assert.Equal(1UL, memory.PageSize);
    }

    [Fact]
    public void Grow_OneBytePagesUnderLimiter_ChargesBytes()
    {
        var limiter = new ByteBudgetLimiter(5);
        var instance = new Linker().Instantiate(Module.FromBytes(BytePages), new InstanceOptions { Limiter = limiter });
        var grow = instance.GetFunction("grow")!;

        Assert.Equal(0, grow.Invoke(5)[0].AsI32());
        Assert.Equal(-1, grow.Invoke(1)[0].AsI32());
        Assert.Equal(5UL, limiter.UsedBytes);
    }
}

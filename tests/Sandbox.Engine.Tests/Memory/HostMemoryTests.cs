// Namespace named after issue 4 ("memory model"): "Memory" would hide the Sandbox.Engine.Memory type.
namespace Sandbox.Engine.Tests.MemoryModel;

/// <summary>
/// The host's view of a memory: validated ranges (WAMR's <c>wasm_runtime_validate_app_addr</c>),
/// typed little-endian access, and offsets that stay valid across growth.
/// </summary>
public class HostMemoryTests
{
    private const ulong Page = 65536;

    [Theory]
    [InlineData(0UL, 0UL, true)]
    [InlineData(0UL, Page, true)]
    [InlineData(Page, 0UL, true)]             // the empty range at the end is inside
    [InlineData(Page - 4, 4UL, true)]
    [InlineData(Page - 3, 4UL, false)]        // straddles the end
    [InlineData(Page + 1, 0UL, false)]
    [InlineData(8UL, ulong.MaxValue, false)]  // offset + length would wrap to 7
    [InlineData(ulong.MaxValue, 2UL, false)]
    public void IsValidRange_Ranges_MatchTheCurrentSize(ulong offset, ulong length, bool expected)
    {
        using var memory = new Memory(new MemoryType(new Limits(1, 2)));

        Assert.Equal(expected, memory.IsValidRange(offset, length));
    }

    [Fact]
    public void Read_StraddlingTheEnd_IsRefusedAndWritesNothing()
    {
        using var memory = new Memory(new MemoryType(new Limits(1, 2)));

        Assert.Throws<ArgumentOutOfRangeException>(() => memory.Read(Page - 2, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.ReadInt32(Page - 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.Write(Page - 2, [1, 2, 3, 4]));
        Assert.Equal(0, memory.ReadInt16(Page - 2)); // the refused write left the last bytes alone
    }

    [Fact]
    public void TypedWrites_AreLittleEndian()
    {
        using var memory = new Memory(new MemoryType(new Limits(1, 1)));

        memory.WriteInt32(0, 0x01020304);
        memory.WriteInt64(8, 0x0102030405060708);
        memory.WriteInt16(16, 0x0102);

        Assert.Equal(new byte[] { 4, 3, 2, 1 }, memory.Read(0, 4));
        Assert.Equal(new byte[] { 8, 7, 6, 5, 4, 3, 2, 1 }, memory.Read(8, 8));
        Assert.Equal(new byte[] { 2, 1 }, memory.Read(16, 2));
    }

    [Fact]
    public void FloatAccessors_KeepNaNPayloadBits()
    {
        using var memory = new Memory(new MemoryType(new Limits(1, 1)));
        var f32 = SingleFromBits(0x7FA00001);   // signalling NaN with a payload
        var f64 = BitConverter.UInt64BitsToDouble(0xFFF4000000000001);

        memory.WriteSingle(0, f32);
        memory.WriteDouble(8, f64);

        Assert.Equal(0x7FA00001u, BitConverter.SingleToUInt32Bits(memory.ReadSingle(0)));
        Assert.Equal(0xFFF4000000000001UL, BitConverter.DoubleToUInt64Bits(memory.ReadDouble(8)));
    }

    // Not a constant to the JIT: in Release it folds UInt32BitsToSingle(constant) into a float
    // constant it keeps as a double, quieting the signalling NaN before the test writes it.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static float SingleFromBits(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    [Fact]
    public void Offset_AfterGrow_StillAddressesTheSameBytes()
    {
        using var memory = new Memory(new MemoryType(new Limits(1, 8)));
        memory.WriteInt32(1000, 1234);
        Assert.False(memory.IsValidRange(Page, 4));

        memory.Grow(3);

        Assert.Equal(1234, memory.ReadInt32(1000));
        Assert.True(memory.IsValidRange(Page, 4));
        memory.WriteInt32(4 * Page - 4, 5);
        Assert.Equal(5, memory.ReadInt32(4 * Page - 4));
    }

    [Fact]
    public void Info_SharedMemory_ReportsPageSizeSharingAndMaximum()
    {
        using var shared = new Memory(new MemoryType(new Limits(1, 4), Shared: true));
        using var bytes = new Memory(new MemoryType(new Limits(3, 100), PageSizeLog2: 0));

        Assert.True(shared.IsShared);
        Assert.Equal(65536UL, shared.PageSize);
        Assert.Equal(4UL, shared.Maximum);
        Assert.Equal(4 * Page, shared.MaximumBytes);
        Assert.False(bytes.IsShared);
        Assert.Equal(1UL, bytes.PageSize);
        Assert.Equal(100UL, bytes.MaximumBytes);
    }

    [Fact]
    public void Grow_SharedMemoryFromManyThreads_EachOldSizeReturnedOnce()
    {
        using var memory = new Memory(new MemoryType(new Limits(1, 200), Shared: true));
        memory.WriteInt64(8, 42);
        var oldSizes = new System.Collections.Concurrent.ConcurrentBag<long>();

        Parallel.For(0, 150, _ => oldSizes.Add(memory.Grow(1)));

        Assert.Equal(151UL, memory.Size);
        Assert.Equal(Enumerable.Range(1, 150).Select(i => (long)i), oldSizes.Order()); // each old size exactly once
        Assert.Equal(42, memory.ReadInt64(8));
    }
}

using Sandbox.Engine.Tests.Support;

// Namespace named after issue 4 ("memory model"): "Memory" would hide the Sandbox.Engine.Memory type.
namespace Sandbox.Engine.Tests.MemoryModel;

/// <summary>The limiter hook and the byte budget: refused growth, refused instantiation, counting and release.</summary>
public class ResourceLimiterTests
{
    private const ulong Page = 65536;

    private const string Grower = """
        (module
          (memory (export "memory") 1 10)
          (data (i32.const 100) "kept")
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "size") (result i32) (memory.size)))
        """;

    [WatFact]
    public void MemoryGrow_RefusedByLimiter_ReturnsMinusOneAndKeepsData()
    {
        var limiter = new ByteBudgetLimiter(2 * Page);
        var instance = new Linker().Instantiate(Module.FromBytes(Wat.ToWasm(Grower)), new InstanceOptions { Limiter = limiter });
        var grow = instance.GetFunction("grow")!;

        var first = grow.Invoke(1)[0].AsI32();   // 1 -> 2 pages: within the budget
        var refused = grow.Invoke(1)[0].AsI32(); // 2 -> 3 pages: over it

        Assert.Equal(1, first);
        Assert.Equal(-1, refused);
        Assert.Equal(2, instance.GetFunction("size")!.Invoke()[0].AsI32());
        Assert.Equal("kept"u8.ToArray(), instance.GetMemory("memory")!.Read(100, 4));
        Assert.Equal(2 * Page, limiter.UsedBytes);
    }

    [WatFact]
    public void Instantiate_MemoryOverBudget_ThrowsNamingTheLimit()
    {
        var limiter = new ByteBudgetLimiter(Page / 2, "tenant memory budget of 32 KiB");

        var error = Assert.Throws<ResourceLimitException>(() =>
            new Linker().Instantiate(Module.FromBytes(Wat.ToWasm(Grower)), new InstanceOptions { Limiter = limiter }));

        Assert.Equal("tenant memory budget of 32 KiB", error.Limit);
        Assert.Contains("tenant memory budget of 32 KiB", error.Message);
        Assert.Contains("65536 bytes", error.Message);
        Assert.Equal(0UL, limiter.UsedBytes);
    }

    [WatFact]
    public void Instantiate_TableFitsButMemoryRefused_ReleasesTheTable()
    {
        var limiter = new ByteBudgetLimiter(Page);
        var module = Module.FromBytes(Wat.ToWasm("(module (table 100 funcref) (memory 2))"));

        Assert.Throws<ResourceLimitException>(() => new Linker().Instantiate(module, new InstanceOptions { Limiter = limiter }));

        Assert.Equal(0UL, limiter.UsedBytes);
    }

    [WatFact]
    public void TableGrow_RefusedByLimiter_ReturnsMinusOne()
    {
        var limiter = new ByteBudgetLimiter(12 * ByteBudgetLimiter.BytesPerTableElement);
        var instance = new Linker().Instantiate(Module.FromBytes(Wat.ToWasm("""
            (module
              (table $t 10 funcref)
              (func (export "grow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0))))
            """)), new InstanceOptions { Limiter = limiter });
        var grow = instance.GetFunction("grow")!;

        Assert.Equal(10, grow.Invoke(2)[0].AsI32());
        Assert.Equal(-1, grow.Invoke(1)[0].AsI32());
        Assert.Equal(12 * ByteBudgetLimiter.BytesPerTableElement, limiter.UsedBytes);
    }

    [WatFact]
    public void Dispose_Instance_ReturnsItsBytesToTheBudget()
    {
        var limiter = new ByteBudgetLimiter(4 * Page);
        var module = Module.FromBytes(Wat.ToWasm(Grower));
        var instance = new Linker().Instantiate(module, new InstanceOptions { Limiter = limiter });
        instance.GetFunction("grow")!.Invoke(2);
        Assert.Equal(3 * Page, limiter.UsedBytes);

        instance.Dispose();
        instance.Dispose(); // twice: released once

        Assert.Equal(0UL, limiter.UsedBytes);
        Assert.Equal(4 * Page, limiter.AvailableBytes);
    }

    [WatFact]
    public void Instantiate_SharedMemoryImportedByTwoInstances_ChargedOnce()
    {
        var limiter = new ByteBudgetLimiter(8 * Page);
        var options = new InstanceOptions { Limiter = limiter };
        var linker = new Linker();
        var provider = linker.Instantiate(
            Module.FromBytes(Wat.ToWasm("""(module (memory (export "memory") 2 16 shared))""", "--enable-threads")), options);
        linker.DefineInstance("env", provider);
        var main = Module.FromBytes(Wat.ToWasm("""(module (import "env" "memory" (memory 1 16 shared)))""", "--enable-threads"));

        using var first = linker.Instantiate(main, options);
        using var second = linker.Instantiate(main, options);

        Assert.Equal(2 * Page, limiter.UsedBytes);
        first.Dispose();
        second.Dispose();
        Assert.Equal(2 * Page, limiter.UsedBytes); // importers never owned it
        provider.Dispose();
        Assert.Equal(0UL, limiter.UsedBytes);
    }

    [Fact]
    public void Grow_ConcurrentCallersOnOneBudget_NeverOvercommit()
    {
        var limiter = new ByteBudgetLimiter(64 * Page);
        using var memory = new Memory(new MemoryType(new Limits(0, 1000), Shared: true), limiter: limiter);

        var successes = 0;
        Parallel.For(0, 200, _ =>
        {
            if (memory.Grow(1) >= 0) Interlocked.Increment(ref successes);
        });

        Assert.Equal(64, successes);
        Assert.Equal(64UL, memory.Size);
        Assert.Equal(64 * Page, limiter.UsedBytes);
    }
}

using Sandbox.Engine.Tests.Support;
using Sandbox.Engine.Validation;

namespace Sandbox.Engine.Tests.Runtime;

/// <summary>The compiler's threads-proposal instructions: atomic read-modify-write across threads, narrow forms, alignment.</summary>
public class AtomicCompilationTests
{
    private static readonly EngineOptions Threads = new() { Features = WasmFeatures.Threads };

    private const string Counter = """
        (module
          (memory (export "memory") 1 1 shared)
          (func (export "add") (param i32)
            (loop
              (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
              (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
          (func (export "narrow") (result i64)
            (i64.atomic.store8 (i32.const 8) (i64.const 0x1ff))
            (drop (i64.atomic.rmw16.add_u (i32.const 8) (i64.const 0x10001)))
            (i64.atomic.load16_u (i32.const 8)))
          (func (export "cmpxchg") (result i32)
            (drop (i32.atomic.rmw.cmpxchg (i32.const 16) (i32.const 0) (i32.const 7)))
            (i32.atomic.load (i32.const 16)))
          (func (export "unaligned") (result i32) (i32.atomic.load (i32.const 2))))
        """;

    private static Instance Instantiate() =>
        new Linker().Instantiate(Module.FromBytes(Wat.ToWasm(Counter, "--enable-threads"), Threads));

    [WatFact]
    public void Invoke_RmwAddFromTwoThreads_CountsEveryIncrement()
    {
        var instance = Instantiate();
        var add = instance.GetFunction("add")!;

        Parallel.For(0, 2, _ => add.Invoke(100_000));

        Assert.Equal(200_000, instance.GetMemory("memory")!.ReadInt32(0));
    }

    [WatFact]
    public void Invoke_NarrowI64Forms_NarrowOperandAndZeroExtendResult()
    {
        // store8 keeps 0xff; rmw16.add_u adds 0x0001 (the operand narrowed to 16 bits): 0x0100.
        Assert.Equal(0x100L, Instantiate().GetFunction("narrow")!.Invoke()[0].AsI64());
    }

    [WatFact]
    public void Invoke_CmpxchgWithMatchingExpected_StoresReplacement()
    {
        Assert.Equal(7, Instantiate().GetFunction("cmpxchg")!.Invoke()[0].AsI32());
    }

    [WatFact]
    public void Invoke_MisalignedAtomicLoad_TrapsUnalignedAtomic()
    {
        var trap = Assert.Throws<TrapException>(() => Instantiate().GetFunction("unaligned")!.Invoke());

        Assert.Equal(TrapCode.UnalignedAtomic, trap.Code);
    }
}

using Sandbox.Engine.Tests.Support;

namespace Sandbox.Engine.Tests.Runtime;

/// <summary>Deep and infinite recursion end in a call-stack-exhausted trap, never a process crash.</summary>
public class StackTests
{
    private const string Recursion = """
        (module
          (func $forever (export "forever") (param i32) (result i32)
            (i32.add (call $forever (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
          (func $wide (export "wide") (param i64) (result i64)
            (local f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64
                   f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64
                   f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64
                   f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64
                   f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64
                   f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64
                   f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64
                   f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64
                   f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64)
            (i64.add (call $wide (i64.add (local.get 0) (i64.const 1))) (i64.const 1)))
          (func $depth (export "depth") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (call $depth (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))))
        """;

    [WatFact]
    public void Invoke_InfiniteRecursion_TrapsCallStackExhausted()
    {
        var instance = Wat.Instantiate(Recursion);

        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("forever")!.Invoke(0));

        Assert.Equal(TrapCode.CallStackExhausted, trap.Code);
    }

    [WatFact]
    public void Invoke_InfiniteRecursionWithLargeFrames_TrapsCallStackExhausted()
    {
        var instance = Wat.Instantiate(Recursion);

        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("wide")!.Invoke(0L));

        Assert.Equal(TrapCode.CallStackExhausted, trap.Code);
    }

    [WatFact]
    public void Invoke_InfiniteRecursionOnSmallThreadStack_TrapsInsteadOfCrashing()
    {
        var instance = Wat.Instantiate(Recursion);
        TrapException? trap = null;
        var thread = new Thread(() =>
        {
            try
            {
                instance.GetFunction("forever")!.Invoke([Value.FromI32(0)], new Value[1], new CallOptions { RunOnCallingThread = true });
            }
            catch (TrapException e)
            {
                trap = e;
            }
        }, maxStackSize: 256 * 1024);

        thread.Start();
        thread.Join();

        Assert.Equal(TrapCode.CallStackExhausted, trap?.Code);
    }

    [WatFact]
    public void Invoke_AfterExhaustion_DeepButFiniteRecursionStillWorks()
    {
        var instance = Wat.Instantiate(Recursion);
        Assert.Throws<TrapException>(() => instance.GetFunction("forever")!.Invoke(0));

        var result = instance.GetFunction("depth")!.Invoke(20_000);

        Assert.Equal(20_000, result[0].AsI32());
    }
}

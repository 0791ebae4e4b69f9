using Sandbox.Engine.Tests.Support;

namespace Sandbox.Engine.Tests.Runtime;

/// <summary>Multi-value functions and blocks (Spec 5.4.1 block types given by a type index), including branches that carry values.</summary>
public class MultiValueTests
{
    [WatFact]
    public void Invoke_FunctionWithThreeResults_ReturnsAllInOrder()
    {
        var instance = Wat.Instantiate("""
            (module
              (func $three (result i32 i64 f32) (i32.const 1) (i64.const 2) (f32.const 3.5))
              (func (export "three") (result i32 i64 f32) (call $three))
              (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0)))
            """);

        var three = instance.GetFunction("three")!.Invoke();
        var swapped = instance.GetFunction("swap")!.Invoke(1, 2);

        Assert.Equal([Value.FromI32(1), Value.FromI64(2), Value.FromF32(3.5f)], three);
        Assert.Equal([Value.FromI32(2), Value.FromI32(1)], swapped);
    }

    [WatFact]
    public void Invoke_BranchOutOfNestedBlocksWithExtraOperands_CarriesOnlyTheBranchValues()
    {
        var instance = Wat.Instantiate("""
            (module
              (func (export "f") (param i32) (result i32 i32)
                (i32.const 100)
                (block (result i32 i32)
                  (i32.const 1) (i32.const 2) (i32.const 3)
                  (i32.const 10) (i32.const 20)
                  (br_if 0 (local.get 0))
                  (drop) (drop) (drop))
                (i32.add)))
            """);

        var taken = instance.GetFunction("f")!.Invoke(1);
        var fallthrough = instance.GetFunction("f")!.Invoke(0);

        Assert.Equal([Value.FromI32(100), Value.FromI32(30)], taken);
        Assert.Equal([Value.FromI32(100), Value.FromI32(3)], fallthrough);
    }

    [WatFact]
    public void Invoke_LoopWithParameters_IteratesCarryingValues()
    {
        var instance = Wat.Instantiate("""
            (module
              (func (export "fib") (param i32) (result i64)
                (i64.const 0) (i64.const 1)
                (loop (param i64 i64) (result i64 i64)
                  (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                  (call $step)
                  (br_if 0 (i32.gt_s (local.get 0) (i32.const 0))))
                (drop))
              (func $step (param i64 i64) (result i64 i64) (local.get 1) (i64.add (local.get 0) (local.get 1))))
            """);

        Assert.Equal(12586269025L, instance.GetFunction("fib")!.Invoke(50)[0].AsI64());
    }
}

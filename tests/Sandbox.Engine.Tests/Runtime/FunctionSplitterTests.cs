using System.Text;
using Sandbox.Engine.Compilation;
using Sandbox.Engine.Tests.Spec;
using Sandbox.Engine.Tests.Support;

namespace Sandbox.Engine.Tests.Runtime;

/// <summary>
/// Functions compiled as several methods (<see cref="FunctionSplitter"/>): each module runs once
/// as one method per function and once split as far as it goes, and both must give what the
/// spec says.
/// </summary>
public class FunctionSplitterTests
{
    private static readonly EngineOptions Whole = new() { SplitCost = int.MaxValue };

    public static TheoryData<bool> Both => new() { false, true };

    [WatFact]
    public void Compile_SplitEverywhere_EmitsPartsAndTheDefaultLeavesASmallFunctionWhole()
    {
        var wasm = Wat.ToWasm(Nested);

        Assert.NotEmpty(Parts(Module.FromBytes(wasm, SpecExecutionTests.SplitEverywhere)));
        Assert.Empty(Parts(Module.FromBytes(wasm)));
    }

    [WatTheory]
    [MemberData(nameof(Both))]
    public void Invoke_BranchesOutOfPartsWithValues_CarryTheValues(bool split)
    {
        var f = Instantiate(Nested, split).GetFunction("f")!;

        Assert.Equal([Value.FromI32(100 + 7), Value.FromI64(-1)], f.Invoke(0));
        Assert.Equal([Value.FromI32(100 + 1), Value.FromI64(11)], f.Invoke(1));
        Assert.Equal([Value.FromI32(100 + 2), Value.FromI64(22)], f.Invoke(2));
        Assert.Equal([Value.FromI32(100 + 3), Value.FromI64(33)], f.Invoke(3));
    }

    [WatTheory]
    [MemberData(nameof(Both))]
    public void Invoke_ReturnFromInsideParts_ReturnsEveryResult(bool split)
    {
        var instance = Instantiate("""
            (module
              (func (export "f") (param i32) (result i32 i64 f32 f64)
                (local $x i32)
                (block
                  (loop $again
                    (local.set $x (i32.add (local.get $x) (i32.const 1)))
                    (if (i32.eq (local.get $x) (local.get 0))
                      (then
                        (block
                          (return (local.get $x) (i64.const -5) (f32.const 1.5) (f64.const -2.25)))))
                    (br_if $again (i32.lt_s (local.get $x) (i32.const 10)))))
                (i32.const -1) (i64.const 0) (f32.const 0) (f64.const 0)))
            """, split);

        Assert.Equal([Value.FromI32(4), Value.FromI64(-5), Value.FromF32(1.5f), Value.FromF64(-2.25)], instance.GetFunction("f")!.Invoke(4));
        Assert.Equal([Value.FromI32(-1), Value.FromI64(0), Value.FromF32(0), Value.FromF64(0)], instance.GetFunction("f")!.Invoke(20));
    }

    [WatTheory]
    [MemberData(nameof(Both))]
    public void Invoke_LoopWithParametersRestartedFromAPart_CarriesTheParameters(bool split)
    {
        var instance = Instantiate("""
            (module
              (func (export "fib") (param $n i32) (result i64)
                (i64.const 0) (i64.const 1)
                (loop $l (param i64 i64) (result i64 i64)
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (call $step)
                  (block (param i64 i64) (result i64 i64)
                    (br_if $l (i32.gt_s (local.get $n) (i32.const 0)))))
                (drop))
              (func $step (param i64 i64) (result i64 i64) (local.get 1) (i64.add (local.get 0) (local.get 1))))
            """, split);

        Assert.Equal([Value.FromI64(55)], instance.GetFunction("fib")!.Invoke(10));
    }

    [WatTheory]
    [MemberData(nameof(Both))]
    public void Invoke_PartsWritingLocalsOfEveryType_TheCallerSeesTheWrites(bool split)
    {
        var instance = Instantiate("""
            (module
              (table 1 funcref)
              (elem (i32.const 0) $g)
              (func $g (result i32) (i32.const 42))
              (func (export "f") (param $p i32) (param $e externref) (result i32 i64 f32 f64 i32 i32 i32)
                (local $a i64) (local $b f32) (local $c f64) (local $v v128) (local $r funcref) (local $x externref)
                (if (local.get $p)
                  (then
                    (local.set $a (i64.const 0x123456789))
                    (local.set $b (f32.reinterpret_i32 (i32.const 0x7fa00001)))
                    (local.set $c (f64.const -0.5))
                    (local.set $v (v128.const i32x4 1 2 3 4))
                    (local.set $r (table.get 0 (i32.const 0)))
                    (local.set $x (local.get $e))
                    (local.set $p (i32.const 9))))
                (local.get $p) (local.get $a) (local.get $b) (local.get $c)
                (i32x4.extract_lane 3 (local.get $v))
                (call_indirect (result i32) (i32.const 0))
                (ref.is_null (local.get $x))))
            """, split);

        var results = instance.GetFunction("f")!.Invoke(Value.FromI32(1), Value.FromExtern("host"));

        Assert.Equal(Value.FromI32(9), results[0]);
        Assert.Equal(Value.FromI64(0x123456789), results[1]);
        Assert.Equal(Value.FromF32Bits(0x7fa00001), results[2]); // a signalling NaN, not quieted
        Assert.Equal(Value.FromF64(-0.5), results[3]);
        Assert.Equal(Value.FromI32(4), results[4]);
        Assert.Equal(Value.FromI32(42), results[5]);
        Assert.Equal(Value.FromI32(0), results[6]);
    }

    [WatTheory]
    [MemberData(nameof(Both))]
    public void Invoke_MemoryGrownInsideAPart_TheCallerAccessesTheNewPages(bool split)
    {
        var instance = Instantiate("""
            (module
              (memory 1)
              (func (export "f") (result i32)
                (block
                  (drop (memory.grow (i32.const 1)))
                  (i32.store (i32.const 70000) (i32.const 77)))
                (i32.load (i32.const 70000))))
            """, split);

        Assert.Equal([Value.FromI32(77)], instance.GetFunction("f")!.Invoke());
    }

    [WatTheory]
    [MemberData(nameof(Both))]
    public void Invoke_TrapInsideAPart_BacktraceNamesTheFunctionOnce(bool split)
    {
        var options = (split ? SpecExecutionTests.SplitEverywhere : Whole) with { CompleteBacktraces = true };
        var instance = new Linker().Instantiate(Module.FromBytes(Wat.ToWasm("""
            (module $app
              (func $inner (param i32) (result i32)
                (block (result i32)
                  (if (result i32) (local.get 0)
                    (then (i32.div_s (i32.const 1) (i32.sub (local.get 0) (i32.const 1))))
                    (else (i32.const 0)))))
              (func $outer (export "outer") (param i32) (result i32) (call $inner (local.get 0))))
            """), options));

        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("outer")!.Invoke(1));

        Assert.Equal(TrapCode.IntegerDivideByZero, trap.Code);
        Assert.Equal(["inner", "outer"], trap.Backtrace.Select(f => f.FunctionName));
    }

    [WatTheory]
    [MemberData(nameof(Both))]
    public void Invoke_EndlessLoopInsideAPart_StopsAtTheTimeout(bool split)
    {
        var instance = Instantiate("""
            (module
              (func (export "spin") (param i32) (result i32)
                (block
                  (loop $l
                    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                    (br $l)))
                (local.get 0)))
            """, split);

        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("spin")!.Invoke(new CallOptions { Timeout = TimeSpan.FromMilliseconds(50) }, Value.FromI32(0)));

        Assert.Equal(TrapCode.Interrupted, trap.Code);
    }

    [WatTheory]
    [MemberData(nameof(Both))]
    public void Invoke_RecursionThroughASplitFunction_ExhaustsTheStackAsATrap(bool split)
    {
        var instance = Instantiate("""
            (module
              (func $r (export "r") (param i32) (result i32)
                (local i64 i64 i64 i64)
                (block (result i32)
                  (if (result i32) (i32.eqz (local.get 0))
                    (then (i32.const 0))
                    (else
                      (block (result i32)
                        (i32.add (i32.const 1) (call $r (i32.sub (local.get 0) (i32.const 1))))))))))
            """, split);

        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("r")!.Invoke(int.MaxValue));

        Assert.Equal(TrapCode.CallStackExhausted, trap.Code);
        Assert.Equal([Value.FromI32(1000)], instance.GetFunction("r")!.Invoke(1000));
    }

    // An interpreter's shape at the default limits: a loop around a switch over 400 cases (the
    // nested blocks of a br_table), each case some arithmetic, a branch and memory traffic. It is
    // split, its dispatch kept in one method with the cases' code in parts, and it computes what
    // the one-method compilation computes.
    [WatFact]
    public void Invoke_InterpreterShapedFunctionAtTheDefaultLimits_IsSplitAndComputesTheSame()
    {
        var wasm = Wat.ToWasm(Interpreter(400));
        var split = Module.FromBytes(wasm);
        var whole = Module.FromBytes(wasm, Whole);

        Assert.NotEmpty(Parts(split));
        Assert.Empty(Parts(whole));
        var run = new Linker().Instantiate(split).GetFunction("run")!;
        var reference = new Linker().Instantiate(whole).GetFunction("run")!;
        foreach (var steps in (int[])[0, 1, 7, 1000, 100_000])
        {
            Assert.Equal(reference.Invoke(steps), run.Invoke(steps));
        }
    }

    private const string Nested = """
        (module
          (func (export "f") (param $k i32) (result i32 i64)
            (local $t i64)
            (i32.const 100)
            (block $out (result i32 i64)
              (block $three
                (block $two
                  (block $one
                    (block $zero
                      (br_table $zero $one $two $three (local.get $k)))
                    (br $out (i32.const 7) (i64.const -1)))
                  (local.set $t (i64.const 11))
                  (br $out (i32.const 1) (local.get $t)))
                (block
                  (local.set $t (i64.const 22))
                  (br $out (i32.const 2) (local.get $t))))
              (i32.const 3) (i64.const 33))
            (local.set $t)
            (i32.add)
            (local.get $t)))
        """;

    private static Instance Instantiate(string text, bool split) =>
        new Linker().Instantiate(Module.FromBytes(Wat.ToWasm(text), split ? SpecExecutionTests.SplitEverywhere : Whole));

    private static string[] Parts(Module module) =>
        module.Code.Types.SelectMany(t => t.GetMethods()).Select(m => m.Name).Where(name => name.StartsWith(ModuleCompilation.PartPrefix, StringComparison.Ordinal)).ToArray();

    private static string Interpreter(int cases)
    {
        var text = new StringBuilder("""
            (module
              (memory 1)
              (func (export "run") (param $steps i32) (result i32)
                (local $a i32) (local $b i32) (local $c i32) (local $pc i32) (local $i i32)
                (local.set $a (i32.const 1)) (local.set $b (i32.const 12345))
                (block $exit
                  (loop $next
                    (br_if $exit (i32.ge_u (local.get $i) (local.get $steps)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (local.set $pc (i32.rem_u (i32.add (i32.mul (local.get $pc) (i32.const 1103515245)) (i32.const 12345)) (i32.const 1000003)))

            """);
        for (var k = cases - 1; k >= 0; k--) text.Append("(block $c").Append(k).Append('\n');
        text.Append("(br_table");
        for (var k = 0; k < cases; k++) text.Append(" $c").Append(k);
        text.Append(" $exit (i32.rem_u (local.get $pc) (i32.const ").Append(cases).Append(")))\n");
        for (var k = 0; k < cases; k++)
        {
            // Case k: its own constants, a condition, a store and a load at its own address.
            text.Append(")\n").Append($"""
                (local.set $a (i32.add (i32.mul (local.get $a) (i32.const {2 * k + 1})) (i32.xor (local.get $b) (i32.const {k}))))
                (if (i32.and (local.get $a) (i32.const {1 << (k % 31)}))
                  (then (local.set $b (i32.sub (local.get $b) (i32.shr_u (local.get $a) (i32.const {k % 7}))))
                        (local.set $c (i32.add (local.get $c) (i32.const 1))))
                  (else (local.set $b (i32.rotl (local.get $b) (i32.const {k % 13 + 1})))))
                (i32.store (i32.const {4 * k}) (i32.add (i32.load (i32.const {4 * k})) (local.get $a)))
                (local.set $c (i32.xor (local.get $c) (i32.load (i32.const {4 * ((k * 7) % cases)}))))
                (br $next)

                """);
        }
        text.Append("))\n(i32.xor (i32.xor (local.get $a) (local.get $b)) (local.get $c))))");
        return text.ToString();
    }
}

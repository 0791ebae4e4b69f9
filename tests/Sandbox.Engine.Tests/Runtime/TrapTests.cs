using Sandbox.Engine.Tests.Support;

namespace Sandbox.Engine.Tests.Runtime;

/// <summary>Each trap code from the instruction that raises it, with the spec's message and a Wasm backtrace.</summary>
public class TrapTests
{
    private const string Source = """
        (module
          (type $v (func))
          (memory 1)
          (table 2 funcref)
          (elem (i32.const 1) $typed)
          (func $typed (param i32))
          (func (export "unreachable") unreachable)
          (func (export "load_past_end") (result i32) (i32.load (i32.const 65533)))
          (func (export "load_offset_wraps") (result i32) (i32.load offset=4294967295 (i32.const 1)))
          (func (export "store_past_end") (i64.store (i32.const 65529) (i64.const 1)))
          (func (export "table_get_past_end") (result funcref) (table.get 0 (i32.const 2)))
          (func (export "call_null") (call_indirect (type $v) (i32.const 0)))
          (func (export "call_past_end") (call_indirect (type $v) (i32.const 7)))
          (func (export "call_wrong_type") (call_indirect (type $v) (i32.const 1)))
          (func (export "div_zero") (result i32) (i32.div_u (i32.const 1) (i32.const 0)))
          (func (export "rem_zero") (result i64) (i64.rem_s (i64.const 1) (i64.const 0)))
          (func (export "div_overflow") (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
          (func (export "trunc_nan") (result i32) (i32.trunc_f32_s (f32.const nan)))
          (func (export "trunc_overflow") (result i64) (i64.trunc_f64_u (f64.const -1)))
          (func (export "memory_fill_past_end") (memory.fill (i32.const 65535) (i32.const 0) (i32.const 2))))
        """;

    [WatTheory]
    [InlineData("unreachable", TrapCode.Unreachable, "unreachable")]
    [InlineData("load_past_end", TrapCode.MemoryOutOfBounds, "out of bounds memory access")]
    [InlineData("load_offset_wraps", TrapCode.MemoryOutOfBounds, "out of bounds memory access")]
    [InlineData("store_past_end", TrapCode.MemoryOutOfBounds, "out of bounds memory access")]
    [InlineData("table_get_past_end", TrapCode.TableOutOfBounds, "out of bounds table access")]
    [InlineData("call_null", TrapCode.IndirectCallToNull, "uninitialized element")]
    [InlineData("call_past_end", TrapCode.TableOutOfBounds, "undefined element")]
    [InlineData("call_wrong_type", TrapCode.IndirectCallTypeMismatch, "indirect call type mismatch")]
    [InlineData("div_zero", TrapCode.IntegerDivideByZero, "integer divide by zero")]
    [InlineData("rem_zero", TrapCode.IntegerDivideByZero, "integer divide by zero")]
    [InlineData("div_overflow", TrapCode.IntegerOverflow, "integer overflow")]
    [InlineData("trunc_nan", TrapCode.InvalidConversionToInteger, "invalid conversion to integer")]
    [InlineData("trunc_overflow", TrapCode.IntegerOverflow, "integer overflow")]
    [InlineData("memory_fill_past_end", TrapCode.MemoryOutOfBounds, "out of bounds memory access")]
    public void Invoke_TrappingInstruction_ThrowsTrapWithCodeAndMessage(string export, TrapCode code, string message)
    {
        var instance = Wat.Instantiate(Source);

        var trap = Assert.Throws<TrapException>(() => instance.GetFunction(export)!.Invoke());

        Assert.Equal(code, trap.Code);
        Assert.Equal(message, trap.Message);
    }

    [WatFact]
    public void Invoke_RemSignedMinByMinusOne_ReturnsZeroWithoutTrap()
    {
        var instance = Wat.Instantiate("""
            (module (func (export "rem") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1))))
            """);

        Assert.Equal(0, instance.GetFunction("rem")!.Invoke(int.MinValue, -1)[0].AsI32());
    }

    [WatFact]
    public void Invoke_TrapInNestedCallsWithCompleteBacktraces_BacktraceNamesEveryFrameInnermostFirst()
    {
        var options = new EngineOptions { CompleteBacktraces = true };
        var instance = new Linker().Instantiate(Module.FromBytes(Wat.ToWasm("""
            (module $app
              (func $inner unreachable)
              (func $middle (call $inner))
              (func $outer (export "outer") (call $middle)))
            """), options));

        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("outer")!.Invoke());

        Assert.Equal(["inner", "middle", "outer"], trap.Backtrace.Select(f => f.FunctionName));
        Assert.All(trap.Backtrace, frame => Assert.Equal("app", frame.ModuleName));
        Assert.Contains("app!inner", trap.ToString());
    }

    [WatFact]
    public void Invoke_HostFunctionThrows_BecomesHostErrorTrapWithItsMessage()
    {
        var linker = new Linker().DefineFunction("env", "fail", FuncType.Empty, (_, _) => throw new InvalidOperationException("disk on fire"));
        var instance = linker.Instantiate(Module.FromBytes(Wat.ToWasm("""
            (module (import "env" "fail" (func $fail)) (func (export "run") (call $fail)))
            """)));

        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("run")!.Invoke());

        Assert.Equal(TrapCode.HostError, trap.Code);
        Assert.Equal("disk on fire", trap.Message);
        Assert.IsType<InvalidOperationException>(trap.InnerException);
    }

    [WatFact]
    public void Invoke_HostFunctionThrowsTrap_KeepsItsCode()
    {
        var linker = new Linker().DefineFunction("env", "stop", FuncType.Empty, (_, _) => throw new TrapException(TrapCode.OutOfFuel));
        var instance = linker.Instantiate(Module.FromBytes(Wat.ToWasm("""
            (module (import "env" "stop" (func $stop)) (func (export "run") (call $stop)))
            """)));

        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("run")!.Invoke());

        Assert.Equal(TrapCode.OutOfFuel, trap.Code);
    }

    [WatFact]
    public void Instantiate_StartFunctionTraps_ThrowsTrap()
    {
        var module = Module.FromBytes(Wat.ToWasm("(module (func $start unreachable) (start $start))"));

        var trap = Assert.Throws<TrapException>(() => new Linker().Instantiate(module));

        Assert.Equal(TrapCode.Unreachable, trap.Code);
    }
}

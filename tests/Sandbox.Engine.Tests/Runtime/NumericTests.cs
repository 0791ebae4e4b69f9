using System.Runtime.Intrinsics;
using Sandbox.Engine.Tests.Support;

namespace Sandbox.Engine.Tests.Runtime;

/// <summary>Bit-exact float behaviour: NaN payloads survive every move, and the spec's rounding and sign rules hold.</summary>
public class NumericTests
{
    private const uint SignallingNanF32 = 0x7FA0_0001; // quiet bit clear, payload non-zero
    private const ulong SignallingNanF64 = 0x7FF4_0000_0000_0001;

    private const string Moves = """
        (module
          (memory 1)
          (global $g32 (mut f32) (f32.const 0))
          (global $g64 (mut f64) (f64.const 0))
          (func $id32 (param f32) (result f32) (local.get 0))
          (func (export "f32_moves") (param f32) (result f32)
            (f32.store (i32.const 16) (call $id32 (local.get 0)))
            (global.set $g32 (f32.load (i32.const 16)))
            (global.get $g32))
          (func (export "f64_moves") (param f64) (result f64)
            (f64.store (i32.const 32) (local.get 0))
            (global.set $g64 (f64.load (i32.const 32)))
            (global.get $g64))
          (func (export "f32_const_bits") (result i32) (i32.reinterpret_f32 (f32.const nan:0x200001)))
          (func (export "f32_neg_bits") (param i32) (result i32) (i32.reinterpret_f32 (f32.neg (f32.reinterpret_i32 (local.get 0)))))
          (func (export "f64_abs_bits") (param i64) (result i64) (i64.reinterpret_f64 (f64.abs (f64.reinterpret_i64 (local.get 0))))))
        """;

    // Regression (fuzz seed 812): .NET 10's x64 JIT tested a rotate's result for zero with the
    // flags of the instruction before the ror (dotnet/runtime#129288): the decrement here left ZF
    // clear, so the if was taken for a rotate of 0 and i64.eqz said false.
    [WatFact]
    public void Invoke_RotateByConstantTestedForZero_BranchesOnTheResult()
    {
        var instance = Wat.Instantiate("""
            (module
              (global $g (mut i32) (i32.const 10))
              (func (export "rotr") (param i32) (result i32)
                (global.set $g (i32.sub (global.get $g) (i32.const 1)))
                (if (result i32) (i32.rotr (local.get 0) (i32.const 31)) (then (i32.const 1)) (else (i32.const 0))))
              (func (export "rotl64") (param i64) (result i32)
                (global.set $g (i32.sub (global.get $g) (i32.const 1)))
                (i64.eqz (i64.rotl (local.get 0) (i64.const 7)))))
            """);

        Assert.Equal([Value.FromI32(0)], instance.GetFunction("rotr")!.Invoke(0));
        Assert.Equal([Value.FromI32(1)], instance.GetFunction("rotr")!.Invoke(2));
        Assert.Equal([Value.FromI32(1)], instance.GetFunction("rotl64")!.Invoke(0L));
        Assert.Equal([Value.FromI32(0)], instance.GetFunction("rotl64")!.Invoke(1L << 60));
    }

    [WatFact]
    public void Invoke_SignallingNanF32ThroughCallsMemoryAndGlobals_KeepsBits()
    {
        var instance = Wat.Instantiate(Moves);

        var result = instance.GetFunction("f32_moves")!.Invoke(Value.FromF32Bits(SignallingNanF32));

        Assert.Equal(SignallingNanF32, (uint)result[0].Bits);
    }

    [WatFact]
    public void Invoke_SignallingNanF64ThroughMemoryAndGlobals_KeepsBits()
    {
        var instance = Wat.Instantiate(Moves);

        var result = instance.GetFunction("f64_moves")!.Invoke(Value.FromF64Bits(SignallingNanF64));

        Assert.Equal(SignallingNanF64, result[0].Bits);
    }

    [WatFact]
    public void Invoke_SignallingNanConstant_KeepsBits()
    {
        var result = Wat.Instantiate(Moves).GetFunction("f32_const_bits")!.Invoke();

        Assert.Equal(SignallingNanF32, (uint)result[0].AsI32());
    }

    // Fuzz seed 20266961 (the third one-hour run): f32.reinterpret_i32 of an i32.load16_u or
    // load8_u gave the 32 bits at the address, not the zero-extended narrow load, in Release.
    [WatFact]
    public void Invoke_ReinterpretOfANarrowLoad_KeepsTheZeroExtension()
    {
        var instance = Wat.Instantiate("""
            (module
              (memory 1)
              (data (i32.const 37) "\8a\5a\72\9a")
              (func (export "load16") (param i32) (result f32)
                (f32.reinterpret_i32 (i32.load16_u offset=22 (local.get 0))))
              (func (export "load8") (param i32) (result f32)
                (f32.reinterpret_i32 (i32.load8_u offset=22 (local.get 0))))
              (func (export "load16_s") (param i32) (result f32)
                (f32.reinterpret_i32 (i32.load16_s offset=22 (local.get 0))))
              (func (export "load32_16") (param i32) (result f64)
                (f64.reinterpret_i64 (i64.load16_u offset=22 (local.get 0))))
              (func (export "load32_32") (param i32) (result f64)
                (f64.reinterpret_i64 (i64.load32_u offset=22 (local.get 0))))
              (func (export "through_local") (param i32) (result f32) (local i32)
                (local.set 1 (i32.load16_u offset=22 (local.get 0)))
                (f32.reinterpret_i32 (local.get 1))))
            """);

        uint F32(string name) => BitConverter.SingleToUInt32Bits(instance.GetFunction(name)!.Invoke(Value.FromI32(15))[0].AsF32());
        ulong F64(string name) => BitConverter.DoubleToUInt64Bits(instance.GetFunction(name)!.Invoke(Value.FromI32(15))[0].AsF64());

        var results = new[] { F32("load16"), F32("load8"), F32("load16_s"), F32("through_local"), (uint)F64("load32_16"), (uint)F64("load32_32") };

        Assert.Equal(new[] { 0x5a8au, 0x8au, 0x5a8au, 0x5a8au, 0x5a8au, 0x9a72_5a8au }, results);
    }

    // Fuzz seed 20265730 (the first one-hour run): x - local, where the local was never set, came
    // back as x, a signalling NaN unquieted, in Release: RyuJIT saw the local's InitLocals zero as a
    // constant and folded x - 0 to x. Spec 4.3.3: arithmetic on a NaN gives an arithmetic NaN.
    [WatFact]
    public void Invoke_ArithmeticWithANeverSetLocal_QuietsASignallingNan()
    {
        var instance = Wat.Instantiate("""
            (module
              (func (export "f32_sub") (param f32) (result i32) (local f32)
                (i32.reinterpret_f32 (f32.sub (local.get 0) (local.get 1))))
              (func (export "f64_sub") (param f64) (result i64) (local f64)
                (i64.reinterpret_f64 (f64.sub (local.get 0) (local.get 1))))
              (func (export "f32x4_sub") (param v128) (result v128) (local v128)
                (f32x4.sub (local.get 0) (local.get 1)))
              (func (export "f32_mul_one_local") (param f32) (result i32) (local f32)
                (local.set 1 (f32.const 1))
                (i32.reinterpret_f32 (f32.mul (local.get 0) (local.get 1)))))
            """);

        var f32 = (uint)instance.GetFunction("f32_sub")!.Invoke(Value.FromF32Bits(SignallingNanF32))[0].AsI32();
        var f64 = (ulong)instance.GetFunction("f64_sub")!.Invoke(Value.FromF64Bits(SignallingNanF64))[0].AsI64();
        var lanes = instance.GetFunction("f32x4_sub")!.Invoke(Value.FromV128(Vector128.Create(SignallingNanF32).AsByte()))[0].AsV128().AsUInt32();

        var viaLocal = (uint)instance.GetFunction("f32_mul_one_local")!.Invoke(Value.FromF32Bits(SignallingNanF32))[0].AsI32();

        Assert.Equal(0x7FC0_0000u, f32 & 0x7FC0_0000); // quiet bit set
        Assert.Equal(0x7FC0_0000u, viaLocal & 0x7FC0_0000);
        Assert.Equal(0x7FF8_0000_0000_0000UL, f64 & 0x7FF8_0000_0000_0000);
        for (var i = 0; i < 4; i++) Assert.Equal(0x7FC0_0000u, lanes[i] & 0x7FC0_0000);
    }

    [WatFact]
    public void Invoke_NegAndAbsOfNan_ChangeOnlyTheSignBit()
    {
        var instance = Wat.Instantiate(Moves);

        var negated = instance.GetFunction("f32_neg_bits")!.Invoke((int)SignallingNanF32);
        var absolute = instance.GetFunction("f64_abs_bits")!.Invoke(unchecked((long)(SignallingNanF64 | 0x8000_0000_0000_0000)));

        Assert.Equal(SignallingNanF32 | 0x8000_0000, (uint)negated[0].AsI32());
        Assert.Equal(SignallingNanF64, (ulong)absolute[0].AsI64());
    }

    [WatTheory]
    [InlineData(2.5, 2.0)]
    [InlineData(3.5, 4.0)]
    [InlineData(-2.5, -2.0)]
    [InlineData(-0.5, -0.0)]
    [InlineData(0.49999999999999994, 0.0)]
    public void Invoke_Nearest_RoundsHalfToEven(double input, double expected)
    {
        var nearest = Wat.Instantiate("""(module (func (export "nearest") (param f64) (result f64) (f64.nearest (local.get 0))))""").GetFunction("nearest")!;

        var result = nearest.Invoke(input)[0].AsF64();

        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(result));
    }

    [WatTheory]
    [InlineData("f32.min", 0x0000_0000u, 0x8000_0000u, 0x8000_0000u)] // min(+0, -0) = -0
    [InlineData("f32.max", 0x8000_0000u, 0x0000_0000u, 0x0000_0000u)] // max(-0, +0) = +0
    [InlineData("f32.min", 0x3F80_0000u, 0x7FC0_0000u, 0x7FC0_0000u)] // min(1, NaN) = NaN
    [InlineData("f32.sub", 0x4000_0000u, 0x3F80_0000u, 0x3F80_0000u)] // 2 - 1: operand order
    [InlineData("f32.div", 0x3F80_0000u, 0x4000_0000u, 0x3F00_0000u)] // 1 / 2: operand order
    public void Invoke_BinaryFloatOperator_MatchesSpecBits(string instruction, uint left, uint right, uint expected)
    {
        var function = Wat.Instantiate($"""
            (module (func (export "op") (param f32 f32) (result f32) ({instruction} (local.get 0) (local.get 1))))
            """).GetFunction("op")!;

        var result = function.Invoke(Value.FromF32Bits(left), Value.FromF32Bits(right));

        Assert.Equal(expected, (uint)result[0].Bits);
    }

    [WatTheory]
    [InlineData("i32.sub", 10, 3, 7)]
    [InlineData("i32.div_s", -7, 2, -3)]
    [InlineData("i32.div_u", -7, 2, 2147483644)]
    [InlineData("i32.rem_s", -7, 2, -1)]
    [InlineData("i32.shl", 1, 33, 2)] // the count is taken modulo 32
    [InlineData("i32.shr_s", -8, 1, -4)]
    [InlineData("i32.shr_u", -8, 1, 2147483644)]
    [InlineData("i32.rotl", -2147483648, 1, 1)]
    [InlineData("i32.lt_u", -1, 1, 0)]
    [InlineData("i32.lt_s", -1, 1, 1)]
    public void Invoke_OrderSensitiveIntegerOperator_UsesOperandOrder(string instruction, int left, int right, int expected)
    {
        var function = Wat.Instantiate($"""
            (module (func (export "op") (param i32 i32) (result i32) ({instruction} (local.get 0) (local.get 1))))
            """).GetFunction("op")!;

        Assert.Equal(expected, function.Invoke(left, right)[0].AsI32());
    }

    [WatTheory]
    [InlineData(float.NaN, 0)]
    [InlineData(3e9f, int.MaxValue)]
    [InlineData(-3e9f, int.MinValue)]
    [InlineData(-1.9f, -1)]
    public void Invoke_SaturatingTruncation_ClampsAndMapsNanToZero(float input, int expected)
    {
        var function = Wat.Instantiate("""
            (module (func (export "sat") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0))))
            """).GetFunction("sat")!;

        Assert.Equal(expected, function.Invoke(input)[0].AsI32());
    }

    [WatFact]
    public void Invoke_UnsignedI64ToF32_RoundsOnceToNearestEven()
    {
        // 2^64 - 2^39 - 1 lies just below the midpoint between two f32 values; rounding through
        // f64 first would land on the midpoint and round up to 2^64.
        var function = Wat.Instantiate("""
            (module (func (export "cvt") (param i64) (result f32) (f32.convert_i64_u (local.get 0))))
            """).GetFunction("cvt")!;

        var result = function.Invoke(unchecked((long)0xFFFF_FF7F_FFFF_FFFFUL));

        Assert.Equal(0x5F7F_FFFFu, (uint)result[0].Bits);
    }

    // Issue 12 item 5: a signalling NaN built by f32.reinterpret_i32 of a constant came back
    // quieted (0x7fc00001): RyuJIT folded the reinterpret of the constant into a float constant it
    // keeps as a double, and the float -> double -> float round trip sets the quiet bit.
    private const string ReinterpretPaths = """
        (module
          (memory 1)
          (global $g (mut f32) (f32.const 0))
          (global $c f32 (f32.const nan:0x000001))
          (func $id (param f32) (result f32) (local.get 0))
          (func (export "constant") (result i32) (i32.reinterpret_f32 (f32.reinterpret_i32 (i32.const 0x7f800001))))
          (func (export "through_local") (result i32) (local i32) (local f32)
            (local.set 0 (i32.const 0x7f800001))
            (local.set 1 (f32.reinterpret_i32 (local.get 0)))
            (i32.reinterpret_f32 (local.get 1)))
          (func (export "through_global") (result i32)
            (global.set $g (f32.reinterpret_i32 (i32.const 0x7f800001)))
            (i32.reinterpret_f32 (global.get $g)))
          (func (export "immutable_global") (result i32) (i32.reinterpret_f32 (global.get $c)))
          (func (export "through_memory") (result i32)
            (f32.store (i32.const 8) (f32.reinterpret_i32 (i32.const 0x7f800001)))
            (i32.reinterpret_f32 (f32.load (i32.const 8))))
          (func (export "through_call") (result i32) (i32.reinterpret_f32 (call $id (f32.reinterpret_i32 (i32.const 0x7f800001)))))
          (func (export "as_result") (result f32) (f32.reinterpret_i32 (i32.const 0x7f800001)))
          (func (export "select") (param i32) (result i32)
            (i32.reinterpret_f32 (select (f32.reinterpret_i32 (i32.const 0x7f800001)) (f32.const 0) (local.get 0)))))
        """;

    [WatTheory]
    [InlineData("constant")]
    [InlineData("through_local")]
    [InlineData("through_global")]
    [InlineData("immutable_global")]
    [InlineData("through_memory")]
    [InlineData("through_call")]
    public void Invoke_ReinterpretOfSignallingNanConstant_KeepsBits(string export)
    {
        var result = Wat.Instantiate(ReinterpretPaths).GetFunction(export)!.Invoke();

        Assert.Equal(0x7F80_0001u, (uint)result[0].AsI32());
    }

    [WatFact]
    public void Invoke_SignallingNanConstantAsResultAndThroughSelect_KeepsBits()
    {
        var instance = Wat.Instantiate(ReinterpretPaths);

        var result = instance.GetFunction("as_result")!.Invoke();
        var selected = instance.GetFunction("select")!.Invoke(1);

        Assert.Equal(0x7F80_0001u, (uint)result[0].Bits);
        Assert.Equal(0x7F80_0001u, (uint)selected[0].AsI32());
    }

    [WatFact]
    public void Invoke_HostFunctionReturningSignallingNan_KeepsBits()
    {
        var linker = new Linker();
        linker.DefineFunction("host", "nan", new FuncType([ValueType.F32], [ValueType.F32]), (arguments, results) => results[0] = arguments[0]);
        var module = Module.FromBytes(Wat.ToWasm("""
            (module
              (import "host" "nan" (func $nan (param f32) (result f32)))
              (func (export "call") (param i32) (result i32) (i32.reinterpret_f32 (call $nan (f32.reinterpret_i32 (local.get 0))))))
            """));

        var result = linker.Instantiate(module).GetFunction("call")!.Invoke(0x7F80_0001);

        Assert.Equal(0x7F80_0001u, (uint)result[0].AsI32());
    }
}

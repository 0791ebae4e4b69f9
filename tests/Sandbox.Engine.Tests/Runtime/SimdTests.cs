using System.Runtime.Intrinsics;
using Sandbox.Engine.Tests.Support;

namespace Sandbox.Engine.Tests.Runtime;

/// <summary>
/// The SIMD instructions whose Runtime.Simd helper differs from the plain intrinsic, at the edge
/// that difference is for; v128 through parameters, results, globals, host calls and Value. Bits
/// are compared exactly; NaN lanes by class.
/// </summary>
public class SimdTests
{
    private const uint CanonicalNan32 = 0x7FC0_0000;
    private const uint SignallingNan32 = 0x7FA0_0001;

    private static Value Lanes32(uint a, uint b, uint c, uint d) => Value.FromV128(Vector128.Create(a, b, c, d).AsByte());

    private static Value Lanes16(params short[] lanes) => Value.FromV128(Vector128.Create(lanes).AsByte());

    private static Value Lanes64(ulong a, ulong b) => Value.FromV128(Vector128.Create(a, b).AsByte());

    private static uint[] As32(Value value)
    {
        var v = value.AsV128().AsUInt32();
        return [v[0], v[1], v[2], v[3]];
    }

    private static Function Binary(string instruction) => Wat.Instantiate($"""
        (module (func (export "op") (param v128 v128) (result v128) ({instruction} (local.get 0) (local.get 1))))
        """).GetFunction("op")!;

    private static Function Unary(string instruction) => Wat.Instantiate($"""
        (module (func (export "op") (param v128) (result v128) ({instruction} (local.get 0))))
        """).GetFunction("op")!;

    private static Function Shift(string instruction) => Wat.Instantiate($"""
        (module (func (export "op") (param v128 i32) (result v128) ({instruction} (local.get 0) (local.get 1))))
        """).GetFunction("op")!;

    // Spec 4.3.3 fmin/fmax: -0 < +0 whichever operand it is; NaN in either operand gives a NaN
    // (minps alone would return the second operand in both cases).
    [WatTheory]
    [InlineData("f32x4.min", 0x0000_0000u, 0x8000_0000u, 0x8000_0000u)]
    [InlineData("f32x4.min", 0x8000_0000u, 0x0000_0000u, 0x8000_0000u)]
    [InlineData("f32x4.max", 0x8000_0000u, 0x0000_0000u, 0x0000_0000u)]
    [InlineData("f32x4.max", 0x0000_0000u, 0x8000_0000u, 0x0000_0000u)]
    [InlineData("f32x4.min", 0x3F80_0000u, 0x4000_0000u, 0x3F80_0000u)] // min(1, 2) = 1
    [InlineData("f32x4.max", 0x3F80_0000u, 0x4000_0000u, 0x4000_0000u)] // max(1, 2) = 2
    public void Invoke_F32x4MinMaxOfZeros_OrdersNegativeZeroFirst(string instruction, uint left, uint right, uint expected)
    {
        var result = Binary(instruction).Invoke(Lanes32(left, left, left, left), Lanes32(right, right, right, right));

        Assert.All(As32(result[0]), lane => Assert.Equal(expected, lane));
    }

    [WatTheory]
    [InlineData("f32x4.min")]
    [InlineData("f32x4.max")]
    public void Invoke_F32x4MinMaxWithNanInEitherOperand_IsCanonicalNan(string instruction)
    {
        var one = 0x3F80_0000u;

        var result = Binary(instruction).Invoke(Lanes32(SignallingNan32, one, one, 0xFFC0_0000), Lanes32(one, SignallingNan32, CanonicalNan32, one));

        Assert.All(As32(result[0]), lane => Assert.Equal(CanonicalNan32, lane & 0x7FFF_FFFF));
    }

    [WatFact]
    public void Invoke_F64x2MinWithNanAndZeros_FollowsSpec()
    {
        var result = Binary("f64x2.min").Invoke(Lanes64(0x7FF0_0000_0000_0001, 0), Lanes64(0, 0x8000_0000_0000_0000));

        var lanes = result[0].AsV128().AsUInt64();
        Assert.Equal(0x7FF8_0000_0000_0000UL, lanes[0] & 0x7FFF_FFFF_FFFF_FFFF);
        Assert.Equal(0x8000_0000_0000_0000UL, lanes[1]);
    }

    // Spec 4.3.3 fpmin(a, b) = b < a ? b : a: NaN and zeros in a come back unchanged.
    [WatFact]
    public void Invoke_F32x4PminPmax_ReturnFirstOperandUnlessStrictlyOrdered()
    {
        var a = Lanes32(SignallingNan32, 0x0000_0000, 0x8000_0000, 0x4000_0000);
        var b = Lanes32(0x3F80_0000, 0x8000_0000, 0x0000_0000, 0x3F80_0000);

        var pmin = As32(Binary("f32x4.pmin").Invoke(a, b)[0]);
        var pmax = As32(Binary("f32x4.pmax").Invoke(a, b)[0]);

        Assert.Equal([SignallingNan32, 0x0000_0000, 0x8000_0000, 0x3F80_0000], pmin);
        Assert.Equal([SignallingNan32, 0x0000_0000, 0x8000_0000, 0x4000_0000], pmax);
    }

    // Spec 4.3.2 iq15mulrsat_s: -32768 * -32768 saturates to 32767 (pmulhrsw wraps it to -32768).
    [WatFact]
    public void Invoke_Q15mulrOfMinTimesMin_Saturates()
    {
        var result = Binary("i16x8.q15mulr_sat_s").Invoke(
            Lanes16(short.MinValue, 16384, -16384, 1, 0, 0, 0, 0),
            Lanes16(short.MinValue, 16384, 16384, 16384, 0, 0, 0, 0));

        var lanes = result[0].AsV128().AsInt16();
        Assert.Equal(short.MaxValue, lanes[0]);
        Assert.Equal((short)8192, lanes[1]);   // 0.5 * 0.5 in Q15
        Assert.Equal((short)-8192, lanes[2]);
        Assert.Equal((short)1, lanes[3]);       // (16384 + 16384) >> 15 rounds up
    }

    // Spec 4.4.3.3 i8x16.swizzle: an index of 16 or more gives 0 (pshufb would use its low bits up to 127).
    [WatFact]
    public void Invoke_SwizzleWithOutOfRangeIndices_GivesZero()
    {
        var source = Value.FromV128(Vector128.Create((byte)10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25));
        var indices = Value.FromV128(Vector128.Create((byte)15, 0, 16, 17, 0x7F, 0x80, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 31));

        var result = Binary("i8x16.swizzle").Invoke(source, indices)[0].AsV128();

        Assert.Equal(Vector128.Create((byte)25, 10, 0, 0, 0, 0, 0, 11, 12, 13, 14, 15, 16, 17, 18, 0), result);
    }

    [WatFact]
    public void Invoke_ShuffleAcrossBothOperands_PicksEachLane()
    {
        var shuffle = Binary("i8x16.shuffle 31 0 16 15 1 17 2 18 3 19 4 20 5 21 6 22");
        var a = Value.FromV128(Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
        var b = Value.FromV128(Vector128.Create((byte)100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115));

        var result = shuffle.Invoke(a, b)[0].AsV128();

        Assert.Equal(Vector128.Create((byte)115, 0, 100, 15, 1, 101, 2, 102, 3, 103, 4, 104, 5, 105, 6, 106), result);
    }

    // Spec 4.3.4 trunc_sat: NaN -> 0, out of range -> the bound (cvttps2dq gives 0x80000000 for both).
    [WatFact]
    public void Invoke_TruncSatF32x4S_MapsNanToZeroAndClamps()
    {
        var result = Unary("i32x4.trunc_sat_f32x4_s").Invoke(Lanes32(CanonicalNan32, 0x4F00_0000 /* 2^31 */, 0xCF00_0001 /* < -2^31 */, 0xBFF3_3333 /* -1.9 */));

        Assert.Equal([0u, (uint)int.MaxValue, unchecked((uint)int.MinValue), unchecked((uint)-1)], As32(result[0]));
    }

    [WatFact]
    public void Invoke_TruncSatF32x4U_MapsNanAndNegativesToZeroAndClamps()
    {
        var result = Unary("i32x4.trunc_sat_f32x4_u").Invoke(Lanes32(CanonicalNan32, 0x4F80_0000 /* 2^32 */, 0xC000_0000 /* -2 */, 0x4F7F_FFFF /* 2^32 - 256 */));

        Assert.Equal([0u, uint.MaxValue, 0u, 0xFFFF_FF00u], As32(result[0]));
    }

    [WatFact]
    public void Invoke_TruncSatF64x2Zero_ClampsAndZeroesUpperLanes()
    {
        var signed = Unary("i32x4.trunc_sat_f64x2_s_zero").Invoke(Lanes64(BitConverter.DoubleToUInt64Bits(-3e10), BitConverter.DoubleToUInt64Bits(-7.9)));
        var unsigned = Unary("i32x4.trunc_sat_f64x2_u_zero").Invoke(Lanes64(BitConverter.DoubleToUInt64Bits(5e9), BitConverter.DoubleToUInt64Bits(double.NaN)));

        Assert.Equal([unchecked((uint)int.MinValue), unchecked((uint)-7), 0u, 0u], As32(signed[0]));
        Assert.Equal([uint.MaxValue, 0u, 0u, 0u], As32(unsigned[0]));
    }

    // f32x4.convert_i32x4_u rounds once to nearest even: 0xFFFFFF7F is below the midpoint of 2^32 - 256 and 2^32, 0xFFFFFF80 on it.
    [WatFact]
    public void Invoke_ConvertI32x4U_RoundsOnceToNearestEven()
    {
        var result = Unary("f32x4.convert_i32x4_u").Invoke(Lanes32(0xFFFF_FF7F, 0xFFFF_FF80, 0x8000_0000, 1));

        Assert.Equal([0x4F7F_FFFFu, 0x4F80_0000u, 0x4F00_0000u, 0x3F80_0000u], As32(result[0]));
    }

    [WatFact]
    public void Invoke_ConvertLowI32x4_IsExactForExtremes()
    {
        var signed = Unary("f64x2.convert_low_i32x4_s").Invoke(Lanes32(0x8000_0000, 0xFFFF_FFFF, 5, 5))[0].AsV128().AsDouble();
        var unsigned = Unary("f64x2.convert_low_i32x4_u").Invoke(Lanes32(0xFFFF_FFFF, 0, 5, 5))[0].AsV128().AsDouble();

        Assert.Equal(int.MinValue, signed[0]);
        Assert.Equal(-1.0, signed[1]);
        Assert.Equal(uint.MaxValue, unsigned[0]);
        Assert.Equal(BitConverter.DoubleToUInt64Bits(0.0), BitConverter.DoubleToUInt64Bits(unsigned[1]));
    }

    // Spec 4.4.3.10: shift counts are taken modulo the lane width; x86 has no 8-bit shifts and no
    // 64-bit arithmetic right shift before AVX-512.
    [WatTheory]
    [InlineData("i8x16.shl", 9, 0x02)]      // 0x81 << (9 mod 8 = 1) = 0x02
    [InlineData("i8x16.shr_u", 9, 0x40)]    // 0x81 >> 1 = 0x40
    [InlineData("i8x16.shr_s", 9, 0xC0)]    // -127 >> 1 = -64
    [InlineData("i8x16.shr_s", 7, 0xFF)]
    [InlineData("i8x16.shl", 8, 0x81)]      // 8 mod 8 = 0: unchanged
    public void Invoke_I8x16ShiftByCountAtOrAboveWidth_UsesCountModulo8(string instruction, int count, byte expected)
    {
        var result = Shift(instruction).Invoke(Value.FromV128(Vector128.Create((byte)0x81)), count);

        Assert.Equal(Vector128.Create(expected), result[0].AsV128());
    }

    [WatTheory]
    [InlineData(65, 0xC000_0000_0000_0000UL)] // 65 mod 64 = 1
    [InlineData(63, 0xFFFF_FFFF_FFFF_FFFFUL)]
    [InlineData(64, 0x8000_0000_0000_0000UL)]
    public void Invoke_I64x2ShrS_ExtendsSignWithCountModulo64(int count, ulong expected)
    {
        var result = Shift("i64x2.shr_s").Invoke(Lanes64(0x8000_0000_0000_0000, 0x8000_0000_0000_0000), count);

        Assert.Equal(Vector128.Create(expected), result[0].AsV128().AsUInt64());
    }

    [WatFact]
    public void Invoke_I64x2Mul_WrapsModulo2To64()
    {
        var result = Binary("i64x2.mul").Invoke(Lanes64(0xFFFF_FFFF_FFFF_FFFF, 0x1_0000_0001), Lanes64(0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF));

        Assert.Equal(Vector128.Create(1UL, unchecked(0xFFFF_FFFFUL * 0x1_0000_0001UL)), result[0].AsV128().AsUInt64());
    }

    [WatFact]
    public void Invoke_NarrowI16x8_SaturatesSignedInputs()
    {
        var a = Lanes16(300, -300, 127, -128, 255, 256, -1, 0);

        var signed = Binary("i8x16.narrow_i16x8_s").Invoke(a, a)[0].AsV128().AsSByte();
        var unsigned = Binary("i8x16.narrow_i16x8_u").Invoke(a, a)[0].AsV128();

        Assert.Equal([127, -128, 127, -128, 127, 127, -1, 0], Enumerable.Range(0, 8).Select(i => signed[i]).ToArray());
        Assert.Equal([255, 0, 127, 0, 255, 255, 0, 0], Enumerable.Range(0, 8).Select(i => (int)unsigned[i]).ToArray());
    }

    [WatFact]
    public void Invoke_PopcntBitmaskAllTrue_CountLanes()
    {
        var instance = Wat.Instantiate("""
            (module
              (func (export "popcnt") (param v128) (result v128) (i8x16.popcnt (local.get 0)))
              (func (export "bitmask") (param v128) (result i32) (i16x8.bitmask (local.get 0)))
              (func (export "all_true") (param v128) (result i32) (i32x4.all_true (local.get 0)))
              (func (export "any_true") (param v128) (result i32) (v128.any_true (local.get 0))))
            """);
        var bytes = Value.FromV128(Vector128.Create((byte)0, 1, 3, 0xFF, 0x80, 0x55, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0x0F));

        var popcnt = instance.GetFunction("popcnt")!.Invoke(bytes)[0].AsV128();
        var bitmask = instance.GetFunction("bitmask")!.Invoke(Lanes16(-1, 0, -32768, 32767, 0, 0, 0, -2))[0].AsI32();
        var allTrue = instance.GetFunction("all_true")!.Invoke(Lanes32(1, 2, 0, 4))[0].AsI32();
        var anyTrue = instance.GetFunction("any_true")!.Invoke(Lanes64(0, 1UL << 63))[0].AsI32();

        Assert.Equal(Vector128.Create((byte)0, 1, 2, 8, 1, 4, 3, 0, 0, 0, 0, 0, 0, 0, 0, 4), popcnt);
        Assert.Equal(0b1000_0101, bitmask);
        Assert.Equal(0, allTrue);
        Assert.Equal(1, anyTrue);
    }

    // Issue 12 item 5 for lanes: a signalling NaN survives splat, replace_lane, extract_lane, neg, memory and globals.
    [WatFact]
    public void Invoke_SignallingNanThroughLanesMemoryAndGlobals_KeepsBits()
    {
        var instance = Wat.Instantiate("""
            (module
              (memory 1)
              (global $g (mut v128) (v128.const i32x4 0 0 0 0))
              (func (export "lanes") (param f32) (result v128)
                (v128.store (i32.const 3) (f32x4.replace_lane 2 (f32x4.splat (local.get 0)) (f32.reinterpret_i32 (i32.const 0x7f800001))))
                (global.set $g (v128.load (i32.const 3)))
                (f32x4.neg (global.get $g)))
              (func (export "extract") (result i32)
                (i32.reinterpret_f32 (f32x4.extract_lane 1 (v128.const i32x4 0 0x7f800001 0 0)))))
            """);

        var lanes = As32(instance.GetFunction("lanes")!.Invoke(Value.FromF32Bits(SignallingNan32))[0]);
        var extracted = (uint)instance.GetFunction("extract")!.Invoke()[0].AsI32();

        Assert.Equal([SignallingNan32 | 0x8000_0000, SignallingNan32 | 0x8000_0000, 0xFF80_0001u, SignallingNan32 | 0x8000_0000], lanes);
        Assert.Equal(0x7F80_0001u, extracted);
    }

    // Fuzz seeds 20262930 and 20263782 (the first one-hour run): f32x4.extract_lane of a vector the
    // JIT sees as constant (v128.const through locals, a splat of a constant) came back quieted
    // (0xffb77608 -> 0xfff77608) in Release, where Runtime.Simd is inlined and RyuJIT folds the lane
    // into a float constant it keeps as a double. .ci/run runs this class in Release too.
    [WatFact]
    public void Invoke_ExtractLaneOfConstantSignallingNan_KeepsBits()
    {
        var instance = Wat.Instantiate("""
            (module
              (func (export "through_locals") (result i32) (local v128 v128)
                (local.set 0 (v128.const i32x4 0xffb77608 0xffffffff 0 0xffff0000))
                (local.set 1 (local.get 0))
                (i32.reinterpret_f32 (f32x4.extract_lane 0 (local.get 1))))
              (func (export "splat") (result f32)
                (f32x4.extract_lane 3 (i16x8.splat (i32.const -67))))
              (func (export "quiet") (result f32)
                (f32x4.extract_lane 2 (v128.const i32x4 0 0 0x7fc00000 0))))
            """);

        Assert.Equal(0xFFB7_7608u, (uint)instance.GetFunction("through_locals")!.Invoke()[0].AsI32());
        Assert.Equal(0xFFBD_FFBDu, (uint)instance.GetFunction("splat")!.Invoke()[0].Bits);
        Assert.Equal(0x7FC0_0000u, (uint)instance.GetFunction("quiet")!.Invoke()[0].Bits);
    }

    [WatFact]
    public void Invoke_V128ThroughHostFunctionAndGlobal_KeepsAllBytes()
    {
        var linker = new Linker();
        var vectorType = new FuncType([ValueType.V128], [ValueType.V128, ValueType.V128]);
        linker.DefineFunction("host", "swap", vectorType, (arguments, results) =>
        {
            var halves = arguments[0].AsV128().AsUInt64();
            results[0] = Value.FromV128(Vector128.Create(halves[1], halves[0]).AsByte());
            results[1] = arguments[0];
        });
        var module = Module.FromBytes(Wat.ToWasm("""
            (module
              (import "host" "swap" (func $swap (param v128) (result v128 v128)))
              (global (export "g") (mut v128) (v128.const i64x2 1 2))
              (func (export "call") (param v128) (result v128 v128) (call $swap (local.get 0))))
            """));
        var instance = linker.Instantiate(module);
        var input = Lanes64(0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210);

        var results = instance.GetFunction("call")!.Invoke(input);
        var global = instance.GetGlobal("g")!;
        global.Value = input;

        Assert.Equal(Vector128.Create(0xFEDC_BA98_7654_3210UL, 0x0123_4567_89AB_CDEFUL), results[0].AsV128().AsUInt64());
        Assert.Equal(input, results[1]);
        Assert.Equal(input, global.Value);
    }

    [Fact]
    public void FromV128_BytesInMemoryOrder_RoundTripAndCompare()
    {
        byte[] bytes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

        var value = Value.FromV128(bytes);

        Assert.Equal(ValueType.V128, value.Type);
        Assert.Equal(0x0807_0605_0403_0201UL, value.Bits);
        Assert.Equal(Vector128.Create(bytes), value.AsV128());
        Assert.Equal(value, Value.FromV128(Vector128.Create(bytes)));
        Assert.NotEqual(value, Value.FromV128(new byte[16]));
        Assert.Null(value.Reference);
        Assert.Equal("v128:0102030405060708090a0b0c0d0e0f10", value.ToString());
    }

    // Spec 4.3.3: x * 1, x - 0, x + -0 and x / 1 of a signalling NaN give an arithmetic (quiet)
    // NaN; a JIT that folds them to x (as RyuJIT does for scalars, see FunctionCompiler.EmitF32Const)
    // would return the signalling NaN unchanged.
    [WatTheory]
    [InlineData("f32x4.mul", "1.0")]
    [InlineData("f32x4.div", "1.0")]
    [InlineData("f32x4.sub", "0.0")]
    [InlineData("f32x4.add", "-0.0")]
    public void Invoke_IdentityArithmeticOnSignallingNan_QuietsIt(string instruction, string identity)
    {
        var function = Wat.Instantiate($"""
            (module (func (export "op") (param v128) (result v128)
              ({instruction} (local.get 0) (v128.const f32x4 {identity} {identity} {identity} {identity}))))
            """).GetFunction("op")!;

        var result = function.Invoke(Lanes32(SignallingNan32, SignallingNan32, SignallingNan32, SignallingNan32));

        Assert.All(As32(result[0]), lane => Assert.Equal(0x7FC0_0000u, lane & 0x7FC0_0000)); // an arithmetic NaN: quiet bit set
    }

    // Value is on every Invoke path: v128 keeps its upper half in the reference slot so that the
    // struct stays the size it was (type, 64 bits, a reference).
    [Fact]
    public void Value_Layout_StaysAt24Bytes()
    {
        Assert.Equal(24, System.Runtime.CompilerServices.Unsafe.SizeOf<Value>());
    }

    [Fact]
    public void SimdTable_EveryOpcode_HasOneRuntimeHelperOfItsName()
    {
        var count = 0;
        foreach (var instruction in Sandbox.Engine.Binary.Internal.SimdTable.All)
        {
            Assert.NotNull(typeof(Sandbox.Engine.Runtime.Simd).GetMethod(instruction.Opcode.ToString()));
            count++;
        }

        Assert.Equal(236, count);
        Assert.Equal(236, Enum.GetValues<Sandbox.Engine.Binary.SimdOpcode>().Length);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(17)]
    public void FromV128_WrongLength_Throws(int length)
    {
        Assert.Throws<ArgumentException>(() => Value.FromV128(new byte[length]));
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector128<byte>;

namespace Sandbox.Engine.Runtime;

// Integer lane instructions (Spec 4.3.2 on each lane, 4.4.3.7-4.4.3.10).
internal static partial class Simd
{
    // --- Comparisons: all-ones lanes for true (Spec 4.4.3.8 vrelop) ---

    [MethodImpl(Inline)] public static V I8x16Eq(V a, V b) => Eq<byte>(a, b);
    [MethodImpl(Inline)] public static V I8x16Ne(V a, V b) => Ne<byte>(a, b);
    [MethodImpl(Inline)] public static V I8x16LtS(V a, V b) => Lt<sbyte>(a, b);
    [MethodImpl(Inline)] public static V I8x16LtU(V a, V b) => Lt<byte>(a, b);
    [MethodImpl(Inline)] public static V I8x16GtS(V a, V b) => Gt<sbyte>(a, b);
    [MethodImpl(Inline)] public static V I8x16GtU(V a, V b) => Gt<byte>(a, b);
    [MethodImpl(Inline)] public static V I8x16LeS(V a, V b) => Le<sbyte>(a, b);
    [MethodImpl(Inline)] public static V I8x16LeU(V a, V b) => Le<byte>(a, b);
    [MethodImpl(Inline)] public static V I8x16GeS(V a, V b) => Ge<sbyte>(a, b);
    [MethodImpl(Inline)] public static V I8x16GeU(V a, V b) => Ge<byte>(a, b);
    [MethodImpl(Inline)] public static V I16x8Eq(V a, V b) => Eq<ushort>(a, b);
    [MethodImpl(Inline)] public static V I16x8Ne(V a, V b) => Ne<ushort>(a, b);
    [MethodImpl(Inline)] public static V I16x8LtS(V a, V b) => Lt<short>(a, b);
    [MethodImpl(Inline)] public static V I16x8LtU(V a, V b) => Lt<ushort>(a, b);
    [MethodImpl(Inline)] public static V I16x8GtS(V a, V b) => Gt<short>(a, b);
    [MethodImpl(Inline)] public static V I16x8GtU(V a, V b) => Gt<ushort>(a, b);
    [MethodImpl(Inline)] public static V I16x8LeS(V a, V b) => Le<short>(a, b);
    [MethodImpl(Inline)] public static V I16x8LeU(V a, V b) => Le<ushort>(a, b);
    [MethodImpl(Inline)] public static V I16x8GeS(V a, V b) => Ge<short>(a, b);
    [MethodImpl(Inline)] public static V I16x8GeU(V a, V b) => Ge<ushort>(a, b);
    [MethodImpl(Inline)] public static V I32x4Eq(V a, V b) => Eq<uint>(a, b);
    [MethodImpl(Inline)] public static V I32x4Ne(V a, V b) => Ne<uint>(a, b);
    [MethodImpl(Inline)] public static V I32x4LtS(V a, V b) => Lt<int>(a, b);
    [MethodImpl(Inline)] public static V I32x4LtU(V a, V b) => Lt<uint>(a, b);
    [MethodImpl(Inline)] public static V I32x4GtS(V a, V b) => Gt<int>(a, b);
    [MethodImpl(Inline)] public static V I32x4GtU(V a, V b) => Gt<uint>(a, b);
    [MethodImpl(Inline)] public static V I32x4LeS(V a, V b) => Le<int>(a, b);
    [MethodImpl(Inline)] public static V I32x4LeU(V a, V b) => Le<uint>(a, b);
    [MethodImpl(Inline)] public static V I32x4GeS(V a, V b) => Ge<int>(a, b);
    [MethodImpl(Inline)] public static V I32x4GeU(V a, V b) => Ge<uint>(a, b);
    [MethodImpl(Inline)] public static V I64x2Eq(V a, V b) => Eq<ulong>(a, b);
    [MethodImpl(Inline)] public static V I64x2Ne(V a, V b) => Ne<ulong>(a, b);
    [MethodImpl(Inline)] public static V I64x2LtS(V a, V b) => Lt<long>(a, b);
    [MethodImpl(Inline)] public static V I64x2GtS(V a, V b) => Gt<long>(a, b);
    [MethodImpl(Inline)] public static V I64x2LeS(V a, V b) => Le<long>(a, b);
    [MethodImpl(Inline)] public static V I64x2GeS(V a, V b) => Ge<long>(a, b);

    // --- Unary ---

    // iabs wraps: abs(-128) is -128 (Spec 4.3.2.24), as pabsb and Vector128.Abs give.
    [MethodImpl(Inline)] public static V I8x16Abs(V v) => Vector128.Abs(v.AsSByte()).AsByte();
    [MethodImpl(Inline)] public static V I16x8Abs(V v) => Vector128.Abs(v.AsInt16()).AsByte();
    [MethodImpl(Inline)] public static V I32x4Abs(V v) => Vector128.Abs(v.AsInt32()).AsByte();

    /// <summary>i64x2.abs, wrapping: (x ^ s) - s with s = x &lt; 0 (all ones), since vpabsq needs AVX-512.</summary>
    [MethodImpl(Inline)]
    public static V I64x2Abs(V v)
    {
        var x = v.AsInt64();
        var sign = Vector128.LessThan(x, Vector128<long>.Zero);
        return ((x ^ sign) - sign).AsByte();
    }

    [MethodImpl(Inline)] public static V I8x16Neg(V v) => Neg<byte>(v);
    [MethodImpl(Inline)] public static V I16x8Neg(V v) => Neg<ushort>(v);
    [MethodImpl(Inline)] public static V I32x4Neg(V v) => Neg<uint>(v);
    [MethodImpl(Inline)] public static V I64x2Neg(V v) => Neg<ulong>(v);

    /// <summary>
    /// i8x16.popcnt (Spec 4.3.2.29 ipopcnt). Arm64 has cnt; x86 (before AVX-512 BITALG) looks each
    /// nibble's count up in a 16-entry table with pshufb; otherwise the bit-slicing count.
    /// </summary>
    [MethodImpl(Inline)]
    public static V I8x16Popcnt(V v)
    {
        if (AdvSimd.IsSupported) return AdvSimd.PopCount(v);
        var nibble = Vector128.Create((byte)0x0F);
        if (Ssse3.IsSupported)
        {
            var table = Vector128.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
            var high = Vector128.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble;
            return Ssse3.Shuffle(table, v & nibble) + Ssse3.Shuffle(table, high);
        }
        var x = v - (ShiftRightLogical8(v, 1) & Vector128.Create((byte)0x55));
        x = (x & Vector128.Create((byte)0x33)) + (ShiftRightLogical8(x, 2) & Vector128.Create((byte)0x33));
        return (x + ShiftRightLogical8(x, 4)) & nibble;
    }

    // --- Tests ---

    [MethodImpl(Inline)] public static int I8x16AllTrue(V v) => AllTrue<byte>(v);
    [MethodImpl(Inline)] public static int I16x8AllTrue(V v) => AllTrue<ushort>(v);
    [MethodImpl(Inline)] public static int I32x4AllTrue(V v) => AllTrue<uint>(v);
    [MethodImpl(Inline)] public static int I64x2AllTrue(V v) => AllTrue<ulong>(v);
    [MethodImpl(Inline)] public static int I8x16Bitmask(V v) => Bitmask<sbyte>(v);
    [MethodImpl(Inline)] public static int I16x8Bitmask(V v) => Bitmask<short>(v);
    [MethodImpl(Inline)] public static int I32x4Bitmask(V v) => Bitmask<int>(v);
    [MethodImpl(Inline)] public static int I64x2Bitmask(V v) => Bitmask<long>(v);

    // --- Shifts: the count is taken modulo the lane width (Spec 4.4.3.10 vishiftop) ---

    /// <summary>8-bit lanes have no shift instruction on x86: shift 16-bit lanes and clear the bits that crossed in.</summary>
    [MethodImpl(Inline)]
    private static V ShiftLeft8(V v, int count) =>
        Vector128.ShiftLeft(v.AsUInt16(), count).AsByte() & Vector128.Create((byte)(0xFF << count));

    [MethodImpl(Inline)]
    private static V ShiftRightLogical8(V v, int count) =>
        Vector128.ShiftRightLogical(v.AsUInt16(), count).AsByte() & Vector128.Create((byte)(0xFF >> count));

    [MethodImpl(Inline)] public static V I8x16Shl(V v, int count) => ShiftLeft8(v, count & 7);
    [MethodImpl(Inline)] public static V I8x16ShrU(V v, int count) => ShiftRightLogical8(v, count & 7);

    /// <summary>i8x16.shr_s without an 8-bit arithmetic shift: a logical shift with the sign extended by (x ^ m) - m, m the shifted sign bit.</summary>
    [MethodImpl(Inline)]
    public static V I8x16ShrS(V v, int count)
    {
        count &= 7;
        var m = Vector128.Create((byte)(0x80 >> count));
        return (ShiftRightLogical8(v, count) ^ m) - m;
    }

    [MethodImpl(Inline)] public static V I16x8Shl(V v, int count) => Vector128.ShiftLeft(v.AsUInt16(), count & 15).AsByte();
    [MethodImpl(Inline)] public static V I16x8ShrS(V v, int count) => Vector128.ShiftRightArithmetic(v.AsInt16(), count & 15).AsByte();
    [MethodImpl(Inline)] public static V I16x8ShrU(V v, int count) => Vector128.ShiftRightLogical(v.AsUInt16(), count & 15).AsByte();
    [MethodImpl(Inline)] public static V I32x4Shl(V v, int count) => Vector128.ShiftLeft(v.AsUInt32(), count & 31).AsByte();
    [MethodImpl(Inline)] public static V I32x4ShrS(V v, int count) => Vector128.ShiftRightArithmetic(v.AsInt32(), count & 31).AsByte();
    [MethodImpl(Inline)] public static V I32x4ShrU(V v, int count) => Vector128.ShiftRightLogical(v.AsUInt32(), count & 31).AsByte();
    [MethodImpl(Inline)] public static V I64x2Shl(V v, int count) => Vector128.ShiftLeft(v.AsUInt64(), count & 63).AsByte();
    [MethodImpl(Inline)] public static V I64x2ShrU(V v, int count) => Vector128.ShiftRightLogical(v.AsUInt64(), count & 63).AsByte();

    /// <summary>i64x2.shr_s: vpsraq needs AVX-512, so elsewhere a logical shift with the sign extended by (x ^ m) - m.</summary>
    [MethodImpl(Inline)]
    public static V I64x2ShrS(V v, int count)
    {
        count &= 63;
        if (Avx512F.VL.IsSupported) return Vector128.ShiftRightArithmetic(v.AsInt64(), count).AsByte();
        var m = Vector128.Create(0x8000_0000_0000_0000UL >> count);
        return ((Vector128.ShiftRightLogical(v.AsUInt64(), count) ^ m) - m).AsByte();
    }

    // --- Arithmetic ---

    [MethodImpl(Inline)] public static V I8x16Add(V a, V b) => a + b;
    [MethodImpl(Inline)] public static V I8x16Sub(V a, V b) => a - b;
    [MethodImpl(Inline)] public static V I16x8Add(V a, V b) => Add<ushort>(a, b);
    [MethodImpl(Inline)] public static V I16x8Sub(V a, V b) => Sub<ushort>(a, b);
    [MethodImpl(Inline)] public static V I16x8Mul(V a, V b) => Mul<ushort>(a, b);
    [MethodImpl(Inline)] public static V I32x4Add(V a, V b) => Add<uint>(a, b);
    [MethodImpl(Inline)] public static V I32x4Sub(V a, V b) => Sub<uint>(a, b);
    [MethodImpl(Inline)] public static V I32x4Mul(V a, V b) => Mul<uint>(a, b);
    [MethodImpl(Inline)] public static V I64x2Add(V a, V b) => Add<ulong>(a, b);
    [MethodImpl(Inline)] public static V I64x2Sub(V a, V b) => Sub<ulong>(a, b);

    /// <summary>
    /// i64x2.mul, modulo 2^64. Without AVX-512 DQ's vpmullq, from 32×32→64 multiplies (pmuludq):
    /// lo·lo + ((hi_a·lo_b + lo_a·hi_b) &lt;&lt; 32).
    /// </summary>
    [MethodImpl(Inline)]
    public static V I64x2Mul(V a, V b)
    {
        if (Avx512DQ.VL.IsSupported || !Sse2.IsSupported) return Mul<ulong>(a, b);
        var x = a.AsUInt64();
        var y = b.AsUInt64();
        var cross = Sse2.Multiply(Sse2.ShiftRightLogical(x, 32).AsUInt32(), y.AsUInt32())
            + Sse2.Multiply(x.AsUInt32(), Sse2.ShiftRightLogical(y, 32).AsUInt32());
        return (Sse2.Multiply(x.AsUInt32(), y.AsUInt32()) + Sse2.ShiftLeftLogical(cross, 32)).AsByte();
    }

    [MethodImpl(Inline)] public static V I8x16MinS(V a, V b) => Min<sbyte>(a, b);
    [MethodImpl(Inline)] public static V I8x16MinU(V a, V b) => Min<byte>(a, b);
    [MethodImpl(Inline)] public static V I8x16MaxS(V a, V b) => Max<sbyte>(a, b);
    [MethodImpl(Inline)] public static V I8x16MaxU(V a, V b) => Max<byte>(a, b);
    [MethodImpl(Inline)] public static V I16x8MinS(V a, V b) => Min<short>(a, b);
    [MethodImpl(Inline)] public static V I16x8MinU(V a, V b) => Min<ushort>(a, b);
    [MethodImpl(Inline)] public static V I16x8MaxS(V a, V b) => Max<short>(a, b);
    [MethodImpl(Inline)] public static V I16x8MaxU(V a, V b) => Max<ushort>(a, b);
    [MethodImpl(Inline)] public static V I32x4MinS(V a, V b) => Min<int>(a, b);
    [MethodImpl(Inline)] public static V I32x4MinU(V a, V b) => Min<uint>(a, b);
    [MethodImpl(Inline)] public static V I32x4MaxS(V a, V b) => Max<int>(a, b);
    [MethodImpl(Inline)] public static V I32x4MaxU(V a, V b) => Max<uint>(a, b);

    // --- Saturating arithmetic (Spec 4.3.2.31-34 iadd_sat, isub_sat): one instruction on x86 and Arm64 ---

    [MethodImpl(Inline)]
    public static V I8x16AddSatS(V a, V b)
    {
        if (Sse2.IsSupported) return Sse2.AddSaturate(a.AsSByte(), b.AsSByte()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.AddSaturate(a.AsSByte(), b.AsSByte()).AsByte();
        return NarrowS8(Vector128.WidenLower(a.AsSByte()) + Vector128.WidenLower(b.AsSByte()), Vector128.WidenUpper(a.AsSByte()) + Vector128.WidenUpper(b.AsSByte()));
    }

    [MethodImpl(Inline)]
    public static V I8x16AddSatU(V a, V b)
    {
        if (Sse2.IsSupported) return Sse2.AddSaturate(a, b);
        if (AdvSimd.IsSupported) return AdvSimd.AddSaturate(a, b);
        var sum = a + b;
        return sum | Vector128.LessThan(sum, a); // wrapped lanes become 255
    }

    [MethodImpl(Inline)]
    public static V I8x16SubSatS(V a, V b)
    {
        if (Sse2.IsSupported) return Sse2.SubtractSaturate(a.AsSByte(), b.AsSByte()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.SubtractSaturate(a.AsSByte(), b.AsSByte()).AsByte();
        return NarrowS8(Vector128.WidenLower(a.AsSByte()) - Vector128.WidenLower(b.AsSByte()), Vector128.WidenUpper(a.AsSByte()) - Vector128.WidenUpper(b.AsSByte()));
    }

    [MethodImpl(Inline)]
    public static V I8x16SubSatU(V a, V b)
    {
        if (Sse2.IsSupported) return Sse2.SubtractSaturate(a, b);
        if (AdvSimd.IsSupported) return AdvSimd.SubtractSaturate(a, b);
        return Vector128.Max(a, b) - b; // a - b where a > b, else 0
    }

    [MethodImpl(Inline)]
    public static V I16x8AddSatS(V a, V b)
    {
        if (Sse2.IsSupported) return Sse2.AddSaturate(a.AsInt16(), b.AsInt16()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.AddSaturate(a.AsInt16(), b.AsInt16()).AsByte();
        return NarrowS16(Vector128.WidenLower(a.AsInt16()) + Vector128.WidenLower(b.AsInt16()), Vector128.WidenUpper(a.AsInt16()) + Vector128.WidenUpper(b.AsInt16()));
    }

    [MethodImpl(Inline)]
    public static V I16x8AddSatU(V a, V b)
    {
        if (Sse2.IsSupported) return Sse2.AddSaturate(a.AsUInt16(), b.AsUInt16()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.AddSaturate(a.AsUInt16(), b.AsUInt16()).AsByte();
        var sum = a.AsUInt16() + b.AsUInt16();
        return (sum | Vector128.LessThan(sum, a.AsUInt16())).AsByte();
    }

    [MethodImpl(Inline)]
    public static V I16x8SubSatS(V a, V b)
    {
        if (Sse2.IsSupported) return Sse2.SubtractSaturate(a.AsInt16(), b.AsInt16()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.SubtractSaturate(a.AsInt16(), b.AsInt16()).AsByte();
        return NarrowS16(Vector128.WidenLower(a.AsInt16()) - Vector128.WidenLower(b.AsInt16()), Vector128.WidenUpper(a.AsInt16()) - Vector128.WidenUpper(b.AsInt16()));
    }

    [MethodImpl(Inline)]
    public static V I16x8SubSatU(V a, V b)
    {
        if (Sse2.IsSupported) return Sse2.SubtractSaturate(a.AsUInt16(), b.AsUInt16()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.SubtractSaturate(a.AsUInt16(), b.AsUInt16()).AsByte();
        return (Vector128.Max(a.AsUInt16(), b.AsUInt16()) - b.AsUInt16()).AsByte();
    }

    // --- Rounding average (Spec 4.3.2.36 iavgr_u: (a + b + 1) / 2 without overflow): pavgb/pavgw, urhadd ---

    [MethodImpl(Inline)]
    public static V I8x16AvgrU(V a, V b)
    {
        if (Sse2.IsSupported) return Sse2.Average(a, b);
        if (AdvSimd.IsSupported) return AdvSimd.FusedAddRoundedHalving(a, b);
        return (a | b) - ShiftRightLogical8(a ^ b, 1);
    }

    [MethodImpl(Inline)]
    public static V I16x8AvgrU(V a, V b)
    {
        if (Sse2.IsSupported) return Sse2.Average(a.AsUInt16(), b.AsUInt16()).AsByte();
        if (AdvSimd.IsSupported) return AdvSimd.FusedAddRoundedHalving(a.AsUInt16(), b.AsUInt16()).AsByte();
        return ((a.AsUInt16() | b.AsUInt16()) - Vector128.ShiftRightLogical(a.AsUInt16() ^ b.AsUInt16(), 1)).AsByte();
    }

    /// <summary>
    /// i16x8.q15mulr_sat_s (Spec 4.3.2.37 iq15mulrsat_s): (a·b + 2^14) >> 15, saturated. x86's
    /// pmulhrsw computes exactly that but wraps the one overflow, -32768 · -32768, to 0x8000:
    /// those lanes are flipped to 0x7fff. Arm64's sqrdmulh saturates already.
    /// </summary>
    [MethodImpl(Inline)]
    public static V I16x8Q15mulrSatS(V a, V b)
    {
        if (Ssse3.IsSupported)
        {
            var r = Ssse3.MultiplyHighRoundScale(a.AsInt16(), b.AsInt16());
            return (r ^ Vector128.Equals(r, Vector128.Create(short.MinValue))).AsByte();
        }
        if (AdvSimd.IsSupported) return AdvSimd.MultiplyRoundedDoublingSaturateHigh(a.AsInt16(), b.AsInt16()).AsByte();
        var round = Vector128.Create(0x4000);
        var low = Vector128.ShiftRightArithmetic(Vector128.WidenLower(a.AsInt16()) * Vector128.WidenLower(b.AsInt16()) + round, 15);
        var high = Vector128.ShiftRightArithmetic(Vector128.WidenUpper(a.AsInt16()) * Vector128.WidenUpper(b.AsInt16()) + round, 15);
        return NarrowS16(low, high);
    }

    // --- Narrowing with saturation (Spec 4.4.3.12 narrow: each lane read signed, clamped to the target range) ---

    [MethodImpl(Inline)]
    private static V NarrowS8(Vector128<short> low, Vector128<short> high)
    {
        var min = Vector128.Create((short)sbyte.MinValue);
        var max = Vector128.Create((short)sbyte.MaxValue);
        return Vector128.Narrow(Vector128.Min(Vector128.Max(low, min), max), Vector128.Min(Vector128.Max(high, min), max)).AsByte();
    }

    [MethodImpl(Inline)]
    private static V NarrowS16(Vector128<int> low, Vector128<int> high)
    {
        var min = Vector128.Create((int)short.MinValue);
        var max = Vector128.Create((int)short.MaxValue);
        return Vector128.Narrow(Vector128.Min(Vector128.Max(low, min), max), Vector128.Min(Vector128.Max(high, min), max)).AsByte();
    }

    [MethodImpl(Inline)]
    public static V I8x16NarrowI16x8S(V a, V b) =>
        Sse2.IsSupported ? Sse2.PackSignedSaturate(a.AsInt16(), b.AsInt16()).AsByte() : NarrowS8(a.AsInt16(), b.AsInt16());

    [MethodImpl(Inline)]
    public static V I8x16NarrowI16x8U(V a, V b)
    {
        if (Sse2.IsSupported) return Sse2.PackUnsignedSaturate(a.AsInt16(), b.AsInt16());
        var min = Vector128<short>.Zero;
        var max = Vector128.Create((short)byte.MaxValue);
        return Vector128.Narrow(Vector128.Min(Vector128.Max(a.AsInt16(), min), max).AsUInt16(), Vector128.Min(Vector128.Max(b.AsInt16(), min), max).AsUInt16());
    }

    [MethodImpl(Inline)]
    public static V I16x8NarrowI32x4S(V a, V b) =>
        Sse2.IsSupported ? Sse2.PackSignedSaturate(a.AsInt32(), b.AsInt32()).AsByte() : NarrowS16(a.AsInt32(), b.AsInt32());

    [MethodImpl(Inline)]
    public static V I16x8NarrowI32x4U(V a, V b)
    {
        if (Sse41.IsSupported) return Sse41.PackUnsignedSaturate(a.AsInt32(), b.AsInt32()).AsByte();
        var min = Vector128<int>.Zero;
        var max = Vector128.Create((int)ushort.MaxValue);
        return Vector128.Narrow(Vector128.Min(Vector128.Max(a.AsInt32(), min), max).AsUInt32(), Vector128.Min(Vector128.Max(b.AsInt32(), min), max).AsUInt32()).AsByte();
    }

    // --- Widening (Spec 4.4.3.13 extend, 4.4.3.14 extmul, 4.4.3.15 extadd_pairwise, 4.4.3.16 dot) ---

    [MethodImpl(Inline)] public static V I16x8ExtendLowI8x16S(V v) => Vector128.WidenLower(v.AsSByte()).AsByte();
    [MethodImpl(Inline)] public static V I16x8ExtendHighI8x16S(V v) => Vector128.WidenUpper(v.AsSByte()).AsByte();
    [MethodImpl(Inline)] public static V I16x8ExtendLowI8x16U(V v) => Vector128.WidenLower(v).AsByte();
    [MethodImpl(Inline)] public static V I16x8ExtendHighI8x16U(V v) => Vector128.WidenUpper(v).AsByte();
    [MethodImpl(Inline)] public static V I32x4ExtendLowI16x8S(V v) => Vector128.WidenLower(v.AsInt16()).AsByte();
    [MethodImpl(Inline)] public static V I32x4ExtendHighI16x8S(V v) => Vector128.WidenUpper(v.AsInt16()).AsByte();
    [MethodImpl(Inline)] public static V I32x4ExtendLowI16x8U(V v) => Vector128.WidenLower(v.AsUInt16()).AsByte();
    [MethodImpl(Inline)] public static V I32x4ExtendHighI16x8U(V v) => Vector128.WidenUpper(v.AsUInt16()).AsByte();
    [MethodImpl(Inline)] public static V I64x2ExtendLowI32x4S(V v) => Vector128.WidenLower(v.AsInt32()).AsByte();
    [MethodImpl(Inline)] public static V I64x2ExtendHighI32x4S(V v) => Vector128.WidenUpper(v.AsInt32()).AsByte();
    [MethodImpl(Inline)] public static V I64x2ExtendLowI32x4U(V v) => Vector128.WidenLower(v.AsUInt32()).AsByte();
    [MethodImpl(Inline)] public static V I64x2ExtendHighI32x4U(V v) => Vector128.WidenUpper(v.AsUInt32()).AsByte();

    [MethodImpl(Inline)] public static V I16x8ExtmulLowI8x16S(V a, V b) => (Vector128.WidenLower(a.AsSByte()) * Vector128.WidenLower(b.AsSByte())).AsByte();
    [MethodImpl(Inline)] public static V I16x8ExtmulHighI8x16S(V a, V b) => (Vector128.WidenUpper(a.AsSByte()) * Vector128.WidenUpper(b.AsSByte())).AsByte();
    [MethodImpl(Inline)] public static V I16x8ExtmulLowI8x16U(V a, V b) => (Vector128.WidenLower(a) * Vector128.WidenLower(b)).AsByte();
    [MethodImpl(Inline)] public static V I16x8ExtmulHighI8x16U(V a, V b) => (Vector128.WidenUpper(a) * Vector128.WidenUpper(b)).AsByte();
    [MethodImpl(Inline)] public static V I32x4ExtmulLowI16x8S(V a, V b) => (Vector128.WidenLower(a.AsInt16()) * Vector128.WidenLower(b.AsInt16())).AsByte();
    [MethodImpl(Inline)] public static V I32x4ExtmulHighI16x8S(V a, V b) => (Vector128.WidenUpper(a.AsInt16()) * Vector128.WidenUpper(b.AsInt16())).AsByte();
    [MethodImpl(Inline)] public static V I32x4ExtmulLowI16x8U(V a, V b) => (Vector128.WidenLower(a.AsUInt16()) * Vector128.WidenLower(b.AsUInt16())).AsByte();
    [MethodImpl(Inline)] public static V I32x4ExtmulHighI16x8U(V a, V b) => (Vector128.WidenUpper(a.AsUInt16()) * Vector128.WidenUpper(b.AsUInt16())).AsByte();

    // 32×32→64: pmuldq/pmuludq multiply lanes 0 and 2, so the halves are first spread to those lanes.
    [MethodImpl(Inline)]
    public static V I64x2ExtmulLowI32x4S(V a, V b) => Sse41.IsSupported
        ? Sse41.Multiply(Sse2.UnpackLow(a.AsInt32(), a.AsInt32()), Sse2.UnpackLow(b.AsInt32(), b.AsInt32())).AsByte()
        : I64x2Mul(Vector128.WidenLower(a.AsInt32()).AsByte(), Vector128.WidenLower(b.AsInt32()).AsByte());

    [MethodImpl(Inline)]
    public static V I64x2ExtmulHighI32x4S(V a, V b) => Sse41.IsSupported
        ? Sse41.Multiply(Sse2.UnpackHigh(a.AsInt32(), a.AsInt32()), Sse2.UnpackHigh(b.AsInt32(), b.AsInt32())).AsByte()
        : I64x2Mul(Vector128.WidenUpper(a.AsInt32()).AsByte(), Vector128.WidenUpper(b.AsInt32()).AsByte());

    [MethodImpl(Inline)]
    public static V I64x2ExtmulLowI32x4U(V a, V b) => Sse2.IsSupported
        ? Sse2.Multiply(Sse2.UnpackLow(a.AsUInt32(), a.AsUInt32()), Sse2.UnpackLow(b.AsUInt32(), b.AsUInt32())).AsByte()
        : I64x2Mul(Vector128.WidenLower(a.AsUInt32()).AsByte(), Vector128.WidenLower(b.AsUInt32()).AsByte());

    [MethodImpl(Inline)]
    public static V I64x2ExtmulHighI32x4U(V a, V b) => Sse2.IsSupported
        ? Sse2.Multiply(Sse2.UnpackHigh(a.AsUInt32(), a.AsUInt32()), Sse2.UnpackHigh(b.AsUInt32(), b.AsUInt32())).AsByte()
        : I64x2Mul(Vector128.WidenUpper(a.AsUInt32()).AsByte(), Vector128.WidenUpper(b.AsUInt32()).AsByte());

    // Pairwise sums: each wide lane's two halves, sign- or zero-extended in place by shifts.
    [MethodImpl(Inline)]
    public static V I16x8ExtaddPairwiseI8x16S(V v)
    {
        var x = v.AsInt16();
        return (Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(x, 8), 8) + Vector128.ShiftRightArithmetic(x, 8)).AsByte();
    }

    [MethodImpl(Inline)]
    public static V I16x8ExtaddPairwiseI8x16U(V v)
    {
        var x = v.AsUInt16();
        return ((x & Vector128.Create((ushort)0xFF)) + Vector128.ShiftRightLogical(x, 8)).AsByte();
    }

    [MethodImpl(Inline)]
    public static V I32x4ExtaddPairwiseI16x8S(V v)
    {
        if (Sse2.IsSupported) return Sse2.MultiplyAddAdjacent(v.AsInt16(), Vector128.Create((short)1)).AsByte();
        var x = v.AsInt32();
        return (Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(x, 16), 16) + Vector128.ShiftRightArithmetic(x, 16)).AsByte();
    }

    [MethodImpl(Inline)]
    public static V I32x4ExtaddPairwiseI16x8U(V v)
    {
        var x = v.AsUInt32();
        return ((x & Vector128.Create(0xFFFFu)) + Vector128.ShiftRightLogical(x, 16)).AsByte();
    }

    /// <summary>i32x4.dot_i16x8_s: pairwise products summed, modulo 2^32 (pmaddwd wraps the one overflow the same way).</summary>
    [MethodImpl(Inline)]
    public static V I32x4DotI16x8S(V a, V b)
    {
        if (Sse2.IsSupported) return Sse2.MultiplyAddAdjacent(a.AsInt16(), b.AsInt16()).AsByte();
        var x = a.AsInt32();
        var y = b.AsInt32();
        var even = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(x, 16), 16) * Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(y, 16), 16);
        var odd = Vector128.ShiftRightArithmetic(x, 16) * Vector128.ShiftRightArithmetic(y, 16);
        return (even + odd).AsByte();
    }
}

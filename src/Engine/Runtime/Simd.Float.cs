using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector128<byte>;

namespace Sandbox.Engine.Runtime;

// Float lane instructions (Spec 4.3.3 on each lane) and the conversions between lane shapes (4.3.4).
// Arithmetic that can produce a NaN (add, sub, mul, div, sqrt, rounding, demote, promote) is the
// hardware's: SSE and NEON return a quiet NaN, an input's payload or the default, which the spec's
// nans rule allows (canonical when every NaN input is canonical, arithmetic otherwise).
internal static partial class Simd
{
    private const uint CanonicalNan32 = 0x7FC0_0000;
    private const ulong CanonicalNan64 = 0x7FF8_0000_0000_0000;

    // --- Comparisons (Spec 4.3.3 feq..fge: false for NaN except ne) ---

    [MethodImpl(Inline)] public static V F32x4Eq(V a, V b) => Eq<float>(a, b);
    [MethodImpl(Inline)] public static V F32x4Ne(V a, V b) => Ne<float>(a, b);
    [MethodImpl(Inline)] public static V F32x4Lt(V a, V b) => Lt<float>(a, b);
    [MethodImpl(Inline)] public static V F32x4Gt(V a, V b) => Gt<float>(a, b);
    [MethodImpl(Inline)] public static V F32x4Le(V a, V b) => Le<float>(a, b);
    [MethodImpl(Inline)] public static V F32x4Ge(V a, V b) => Ge<float>(a, b);
    [MethodImpl(Inline)] public static V F64x2Eq(V a, V b) => Eq<double>(a, b);
    [MethodImpl(Inline)] public static V F64x2Ne(V a, V b) => Ne<double>(a, b);
    [MethodImpl(Inline)] public static V F64x2Lt(V a, V b) => Lt<double>(a, b);
    [MethodImpl(Inline)] public static V F64x2Gt(V a, V b) => Gt<double>(a, b);
    [MethodImpl(Inline)] public static V F64x2Le(V a, V b) => Le<double>(a, b);
    [MethodImpl(Inline)] public static V F64x2Ge(V a, V b) => Ge<double>(a, b);

    // --- Sign bit only (Spec 4.3.3 fabs, fneg: NaN payloads kept). Negation is an xor: 0 - x would
    // give +0 for +0 and touch NaNs. ---

    [MethodImpl(Inline)] public static V F32x4Abs(V v) => Vector128.AndNot(v.AsUInt32(), Vector128.Create(0x8000_0000u)).AsByte();
    [MethodImpl(Inline)] public static V F32x4Neg(V v) => (v.AsUInt32() ^ Vector128.Create(0x8000_0000u)).AsByte();
    [MethodImpl(Inline)] public static V F64x2Abs(V v) => Vector128.AndNot(v.AsUInt64(), Vector128.Create(0x8000_0000_0000_0000UL)).AsByte();
    [MethodImpl(Inline)] public static V F64x2Neg(V v) => (v.AsUInt64() ^ Vector128.Create(0x8000_0000_0000_0000UL)).AsByte();

    // --- Arithmetic ---

    [MethodImpl(Inline)] public static V F32x4Sqrt(V v) => Vector128.Sqrt(v.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F32x4Add(V a, V b) => Add<float>(a, b);
    [MethodImpl(Inline)] public static V F32x4Sub(V a, V b) => Sub<float>(a, b);
    [MethodImpl(Inline)] public static V F32x4Mul(V a, V b) => Mul<float>(a, b);
    [MethodImpl(Inline)] public static V F32x4Div(V a, V b) => (a.AsSingle() / b.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Sqrt(V v) => Vector128.Sqrt(v.AsDouble()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Add(V a, V b) => Add<double>(a, b);
    [MethodImpl(Inline)] public static V F64x2Sub(V a, V b) => Sub<double>(a, b);
    [MethodImpl(Inline)] public static V F64x2Mul(V a, V b) => Mul<double>(a, b);
    [MethodImpl(Inline)] public static V F64x2Div(V a, V b) => (a.AsDouble() / b.AsDouble()).AsByte();

    // --- Rounding to integral (Spec 4.3.3 fceil, ffloor, ftrunc, fnearest: ties to even): roundps/roundpd, frintp/m/z/n ---

    [MethodImpl(Inline)] public static V F32x4Ceil(V v) => Vector128.Ceiling(v.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F32x4Floor(V v) => Vector128.Floor(v.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F32x4Trunc(V v) => Vector128.Truncate(v.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F32x4Nearest(V v) => Vector128.Round(v.AsSingle()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Ceil(V v) => Vector128.Ceiling(v.AsDouble()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Floor(V v) => Vector128.Floor(v.AsDouble()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Trunc(V v) => Vector128.Truncate(v.AsDouble()).AsByte();
    [MethodImpl(Inline)] public static V F64x2Nearest(V v) => Vector128.Round(v.AsDouble()).AsByte();

    // --- min/max (Spec 4.3.3 fmin, fmax) and pmin/pmax (4.3.3 fpmin, fpmax) ---

    /// <summary>
    /// fmin: NaN if either lane is NaN, and -0 below +0. minps returns its second operand for NaN
    /// and for equal zeros, so it is not used: where a &lt; b take a, else b; where a == b (only
    /// ±0 can differ in bits) or the signs, so -0 wins; NaN lanes become the canonical NaN, which
    /// the nans rule always allows.
    /// </summary>
    [MethodImpl(Inline)]
    private static Vector128<T> FMin<T>(Vector128<T> a, Vector128<T> b, Vector128<T> canonicalNan)
    {
        var equal = Vector128.Equals(a, b);
        var r = Vector128.ConditionalSelect(equal, a | b, Vector128.ConditionalSelect(Vector128.LessThan(a, b), a, b));
        return Vector128.ConditionalSelect(~(Vector128.Equals(a, a) & Vector128.Equals(b, b)), canonicalNan, r);
    }

    /// <summary>fmax: as <see cref="FMin{T}"/>, with +0 above -0 (the signs and'ed where equal).</summary>
    [MethodImpl(Inline)]
    private static Vector128<T> FMax<T>(Vector128<T> a, Vector128<T> b, Vector128<T> canonicalNan)
    {
        var equal = Vector128.Equals(a, b);
        var r = Vector128.ConditionalSelect(equal, a & b, Vector128.ConditionalSelect(Vector128.GreaterThan(a, b), a, b));
        return Vector128.ConditionalSelect(~(Vector128.Equals(a, a) & Vector128.Equals(b, b)), canonicalNan, r);
    }

    [MethodImpl(Inline)]
    public static V F32x4Min(V a, V b) => FMin(a.AsSingle(), b.AsSingle(), Vector128.Create(CanonicalNan32).AsSingle()).AsByte();

    [MethodImpl(Inline)]
    public static V F32x4Max(V a, V b) => FMax(a.AsSingle(), b.AsSingle(), Vector128.Create(CanonicalNan32).AsSingle()).AsByte();

    [MethodImpl(Inline)]
    public static V F64x2Min(V a, V b) => FMin(a.AsDouble(), b.AsDouble(), Vector128.Create(CanonicalNan64).AsDouble()).AsByte();

    [MethodImpl(Inline)]
    public static V F64x2Max(V a, V b) => FMax(a.AsDouble(), b.AsDouble(), Vector128.Create(CanonicalNan64).AsDouble()).AsByte();

    // fpmin(a, b) = b < a ? b : a, fpmax(a, b) = a < b ? b : a: a NaN or a zero of either sign in a is
    // returned unchanged, bit for bit.
    [MethodImpl(Inline)] public static V F32x4Pmin(V a, V b) => Vector128.ConditionalSelect(Lt<float>(b, a), b, a);
    [MethodImpl(Inline)] public static V F32x4Pmax(V a, V b) => Vector128.ConditionalSelect(Lt<float>(a, b), b, a);
    [MethodImpl(Inline)] public static V F64x2Pmin(V a, V b) => Vector128.ConditionalSelect(Lt<double>(b, a), b, a);
    [MethodImpl(Inline)] public static V F64x2Pmax(V a, V b) => Vector128.ConditionalSelect(Lt<double>(a, b), b, a);

    // --- Conversions (Spec 4.3.4 trunc_sat, convert, demote, promote on lanes) ---

    /// <summary>
    /// i32x4.trunc_sat_f32x4_s: NaN → 0, beyond the range → int.MinValue / int.MaxValue. cvttps2dq
    /// gives 0x80000000 for both NaN and overflow, so NaN lanes are zeroed first and lanes at or
    /// above 2^31 set to int.MaxValue after.
    /// </summary>
    [MethodImpl(Inline)]
    public static V I32x4TruncSatF32x4S(V v)
    {
        var f = v.AsSingle();
        var x = f & Vector128.Equals(f, f);
        var r = Vector128.ConvertToInt32(x);
        r = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128.Create(2147483648f)).AsInt32(), Vector128.Create(int.MaxValue), r);
        return Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(-2147483648f)).AsInt32(), Vector128.Create(int.MinValue), r).AsByte();
    }

    /// <summary>
    /// i32x4.trunc_sat_f32x4_u: NaN and negatives → 0, at or above 2^32 → uint.MaxValue. Only a
    /// signed conversion exists before AVX-512, so lanes at or above 2^31 are converted less 2^31
    /// and get the top bit back.
    /// </summary>
    [MethodImpl(Inline)]
    public static V I32x4TruncSatF32x4U(V v)
    {
        var f = v.AsSingle();
        var x = Vector128.Max(f & Vector128.Equals(f, f), Vector128<float>.Zero);
        var two31 = Vector128.Create(2147483648f);
        var low = Vector128.ConvertToInt32(x);
        var high = Vector128.ConvertToInt32(x - two31) ^ Vector128.Create(int.MinValue);
        var r = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, two31).AsInt32(), high, low);
        return Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128.Create(4294967296f)).AsInt32(), Vector128<int>.AllBitsSet, r).AsByte();
    }

    /// <summary>
    /// i32x4.trunc_sat_f64x2_s_zero: the two f64 lanes clamped to the i32 range (NaN → 0) and
    /// truncated; adding 1.5·2^52 then leaves each integer, two's complement, in the low 32 bits
    /// of its lane, which are packed into lanes 0 and 1; lanes 2 and 3 are zero.
    /// </summary>
    [MethodImpl(Inline)]
    public static V I32x4TruncSatF64x2SZero(V v)
    {
        var d = v.AsDouble();
        var x = Vector128.Min(Vector128.Max(d & Vector128.Equals(d, d), Vector128.Create(-2147483648.0)), Vector128.Create(2147483647.0));
        var biased = Vector128.Truncate(x) + Vector128.Create(6755399441055744.0);
        return Vector128.Narrow(biased.AsUInt64(), Vector128<ulong>.Zero).AsByte();
    }

    /// <summary>i32x4.trunc_sat_f64x2_u_zero: as the signed form, clamped to [0, 2^32 - 1] and biased by 2^52.</summary>
    [MethodImpl(Inline)]
    public static V I32x4TruncSatF64x2UZero(V v)
    {
        var d = v.AsDouble();
        var x = Vector128.Min(Vector128.Max(d & Vector128.Equals(d, d), Vector128<double>.Zero), Vector128.Create(4294967295.0));
        var biased = Vector128.Truncate(x) + Vector128.Create(4503599627370496.0);
        return Vector128.Narrow(biased.AsUInt64(), Vector128<ulong>.Zero).AsByte();
    }

    [MethodImpl(Inline)]
    public static V F32x4ConvertI32x4S(V v) => Vector128.ConvertToSingle(v.AsInt32()).AsByte();

    /// <summary>
    /// f32x4.convert_i32x4_u, rounded once to nearest: the high and low 16 bits convert exactly,
    /// the high half times 2^16 is exact, and the one addition rounds.
    /// </summary>
    [MethodImpl(Inline)]
    public static V F32x4ConvertI32x4U(V v)
    {
        var x = v.AsUInt32();
        var high = Vector128.ConvertToSingle(Vector128.ShiftRightLogical(x, 16).AsInt32()) * Vector128.Create(65536f);
        return (high + Vector128.ConvertToSingle((x & Vector128.Create(0xFFFFu)).AsInt32())).AsByte();
    }

    /// <summary>f64x2.convert_low_i32x4_s: exact. cvtdq2pd on x86; elsewhere the integer is placed in a double's mantissa (biased by 2^31 to be unsigned) and the bias subtracted.</summary>
    [MethodImpl(Inline)]
    public static V F64x2ConvertLowI32x4S(V v)
    {
        if (Sse2.IsSupported) return Sse2.ConvertToVector128Double(v.AsInt32()).AsByte();
        var biased = Vector128.WidenLower(v.AsUInt32() ^ Vector128.Create(0x8000_0000u));
        return ((biased | Vector128.Create(0x4330_0000_0000_0000UL)).AsDouble() - Vector128.Create(4503601774854144.0)).AsByte();
    }

    /// <summary>f64x2.convert_low_i32x4_u: exact; the integer in the mantissa of 2^52, less 2^52.</summary>
    [MethodImpl(Inline)]
    public static V F64x2ConvertLowI32x4U(V v)
    {
        var wide = Vector128.WidenLower(v.AsUInt32());
        return ((wide | Vector128.Create(0x4330_0000_0000_0000UL)).AsDouble() - Vector128.Create(4503599627370496.0)).AsByte();
    }

    /// <summary>f32x4.demote_f64x2_zero: two lanes rounded to f32 (cvtpd2ps), lanes 2 and 3 zero.</summary>
    [MethodImpl(Inline)]
    public static V F32x4DemoteF64x2Zero(V v) =>
        Sse2.IsSupported ? Sse2.ConvertToVector128Single(v.AsDouble()).AsByte() : Vector128.Narrow(v.AsDouble(), Vector128<double>.Zero).AsByte();

    [MethodImpl(Inline)]
    public static V F64x2PromoteLowF32x4(V v) => Vector128.WidenLower(v.AsSingle()).AsByte();
}

using System.Runtime.CompilerServices;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// Numeric instructions whose Wasm semantics differ from a bare IL opcode (Spec 4.3.2-4.3.4):
/// trapping division, NaN-propagating min/max, bit-exact sign operations, trapping and saturating
/// truncation, correctly rounded unsigned conversion. Small ones are inlined into generated code;
/// traps go through <see cref="Traps"/>.
/// </summary>
internal static class Numerics
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    // --- select (Spec 4.4.4.2), one overload per numeric type ---

    [MethodImpl(Inline)]
    public static int Select(int a, int b, int condition) => condition != 0 ? a : b;

    [MethodImpl(Inline)]
    public static long Select(long a, long b, int condition) => condition != 0 ? a : b;

    [MethodImpl(Inline)]
    public static float Select(float a, float b, int condition) => condition != 0 ? a : b;

    [MethodImpl(Inline)]
    public static double Select(double a, double b, int condition) => condition != 0 ? a : b;

    // --- Integer division (Spec 4.3.2 idiv_s/idiv_u/irem_s/irem_u) ---

    [MethodImpl(Inline)]
    public static int I32DivS(int a, int b)
    {
        if (b == 0) Traps.Throw(TrapCode.IntegerDivideByZero);
        if (b == -1 && a == int.MinValue) Traps.Throw(TrapCode.IntegerOverflow);
        return a / b;
    }

    [MethodImpl(Inline)]
    public static int I32DivU(int a, int b)
    {
        if (b == 0) Traps.Throw(TrapCode.IntegerDivideByZero);
        return (int)((uint)a / (uint)b);
    }

    [MethodImpl(Inline)]
    public static int I32RemS(int a, int b)
    {
        if (b == 0) Traps.Throw(TrapCode.IntegerDivideByZero);
        return b == -1 ? 0 : a % b; // INT_MIN rem -1 is 0, where x64 idiv would fault
    }

    [MethodImpl(Inline)]
    public static int I32RemU(int a, int b)
    {
        if (b == 0) Traps.Throw(TrapCode.IntegerDivideByZero);
        return (int)((uint)a % (uint)b);
    }

    [MethodImpl(Inline)]
    public static long I64DivS(long a, long b)
    {
        if (b == 0) Traps.Throw(TrapCode.IntegerDivideByZero);
        if (b == -1 && a == long.MinValue) Traps.Throw(TrapCode.IntegerOverflow);
        return a / b;
    }

    [MethodImpl(Inline)]
    public static long I64DivU(long a, long b)
    {
        if (b == 0) Traps.Throw(TrapCode.IntegerDivideByZero);
        return (long)((ulong)a / (ulong)b);
    }

    [MethodImpl(Inline)]
    public static long I64RemS(long a, long b)
    {
        if (b == 0) Traps.Throw(TrapCode.IntegerDivideByZero);
        return b == -1 ? 0 : a % b;
    }

    [MethodImpl(Inline)]
    public static long I64RemU(long a, long b)
    {
        if (b == 0) Traps.Throw(TrapCode.IntegerDivideByZero);
        return (long)((ulong)a % (ulong)b);
    }

    // --- Float sign operations: bit operations, never arithmetic, so NaN payloads survive (Spec 4.3.3 fneg/fabs/fcopysign) ---

    [MethodImpl(Inline)]
    public static float F32Neg(float x) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) ^ int.MinValue);

    [MethodImpl(Inline)]
    public static float F32Abs(float x) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) & int.MaxValue);

    [MethodImpl(Inline)]
    public static float F32CopySign(float x, float y) =>
        BitConverter.Int32BitsToSingle((BitConverter.SingleToInt32Bits(x) & int.MaxValue) | (BitConverter.SingleToInt32Bits(y) & int.MinValue));

    [MethodImpl(Inline)]
    public static double F64Neg(double x) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) ^ long.MinValue);

    [MethodImpl(Inline)]
    public static double F64Abs(double x) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) & long.MaxValue);

    [MethodImpl(Inline)]
    public static double F64CopySign(double x, double y) =>
        BitConverter.Int64BitsToDouble((BitConverter.DoubleToInt64Bits(x) & long.MaxValue) | (BitConverter.DoubleToInt64Bits(y) & long.MinValue));

    // --- min/max: NaN if either is NaN (quieted by the addition), -0 < +0 (Spec 4.3.3 fmin/fmax) ---

    [MethodImpl(Inline)]
    public static float F32Min(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? a + b : MathF.Min(a, b);

    [MethodImpl(Inline)]
    public static float F32Max(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? a + b : MathF.Max(a, b);

    [MethodImpl(Inline)]
    public static double F64Min(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? a + b : Math.Min(a, b);

    [MethodImpl(Inline)]
    public static double F64Max(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? a + b : Math.Max(a, b);

    // nearest rounds half to even (Spec 4.3.3 fnearest); Math.Round's default is ToEven.
    [MethodImpl(Inline)]
    public static float F32Nearest(float x) => MathF.Round(x, MidpointRounding.ToEven);

    [MethodImpl(Inline)]
    public static double F64Nearest(double x) => Math.Round(x, MidpointRounding.ToEven);

    // Constants with NaN payloads are loaded through an opaque call: the JIT keeps float constants
    // as doubles, and the float->double->float round trip would quiet a signalling NaN.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float F32FromBits(int bits) => BitConverter.Int32BitsToSingle(bits);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double F64FromBits(long bits) => BitConverter.Int64BitsToDouble(bits);

    // The constants RyuJIT folds with (x + 0, x - 0, x * 1, x / 1, x * -1), as mutable statics the
    // JIT cannot treat as constants: an ordinary load, no call (see FunctionCompiler.EmitF32Const).
    internal static float F32Zero = 0f, F32NegativeZero = -0f, F32One = 1f, F32NegativeOne = -1f;
    internal static double F64Zero = 0d, F64NegativeZero = -0d, F64One = 1d, F64NegativeOne = -1d;

    // Zeros a rotate's result is or-ed with (see FunctionCompiler.Rotate): mutable, so not folded.
    internal static int I32Zero;
    internal static long I64Zero;

    /// <summary>f64.promote_f32 the JIT cannot pair with a following demote (see FunctionCompiler.EmitPromote).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double OpaquePromote(float x) => x;

    // --- Trapping truncation (Spec 4.3.4 trunc_s/trunc_u): NaN -> invalid conversion, out of range -> overflow.
    // Bounds are exclusive and exact in double: an f32 widens to double without loss; the f32
    // forms compare in float, where the same bounds are exact (no float lies strictly between
    // -2^31 - 1 and -2^31). Past the check the value is in range and not NaN, so the machine's own
    // truncation (ConvertToIntegerNative: one cvttss2si/cvttsd2si on x64) is exact, without the
    // saturating fix-up a C# cast carries. ---

    [MethodImpl(Inline)]
    public static int I32TruncS(float x)
    {
        if (!(x >= -2147483648f && x < 2147483648f)) TruncFailure(x);
        return float.ConvertToIntegerNative<int>(x);
    }

    [MethodImpl(Inline)]
    public static int I32TruncS(double x)
    {
        if (!(x > -2147483649.0 && x < 2147483648.0)) TruncFailure(x);
        return double.ConvertToIntegerNative<int>(x);
    }

    [MethodImpl(Inline)]
    public static int I32TruncU(float x)
    {
        if (!(x > -1f && x < 4294967296f)) TruncFailure(x);
        return (int)float.ConvertToIntegerNative<uint>(x);
    }

    [MethodImpl(Inline)]
    public static int I32TruncU(double x)
    {
        if (!(x > -1.0 && x < 4294967296.0)) TruncFailure(x);
        return (int)double.ConvertToIntegerNative<uint>(x);
    }

    [MethodImpl(Inline)]
    public static long I64TruncS(float x)
    {
        if (!(x >= -9223372036854775808f && x < 9223372036854775808f)) TruncFailure(x);
        return float.ConvertToIntegerNative<long>(x);
    }

    [MethodImpl(Inline)]
    public static long I64TruncS(double x)
    {
        if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) TruncFailure(x);
        return double.ConvertToIntegerNative<long>(x);
    }

    [MethodImpl(Inline)]
    public static long I64TruncU(double x)
    {
        if (!(x > -1.0 && x < 18446744073709551616.0)) TruncFailure(x);
        return (long)(ulong)x;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void TruncFailure(double x) =>
        throw new TrapException(double.IsNaN(x) ? TrapCode.InvalidConversionToInteger : TrapCode.IntegerOverflow);

    // --- Saturating truncation (Spec 4.3.4 trunc_sat_s/trunc_sat_u): NaN -> 0, clamp to range ---

    [MethodImpl(Inline)]
    public static int I32TruncSatS(double x) =>
        double.IsNaN(x) ? 0 : x <= -2147483648.0 ? int.MinValue : x >= 2147483647.0 ? int.MaxValue : (int)x;

    [MethodImpl(Inline)]
    public static int I32TruncSatU(double x) =>
        double.IsNaN(x) || x <= 0 ? 0 : x >= 4294967295.0 ? -1 : (int)(uint)x;

    [MethodImpl(Inline)]
    public static long I64TruncSatS(double x) =>
        double.IsNaN(x) ? 0 : x <= -9223372036854775808.0 ? long.MinValue : x >= 9223372036854775808.0 ? long.MaxValue : (long)x;

    [MethodImpl(Inline)]
    public static long I64TruncSatU(double x) =>
        double.IsNaN(x) || x <= 0 ? 0 : x >= 18446744073709551616.0 ? -1 : (long)(ulong)x;

    // --- Unsigned 64-bit to float, correctly rounded (Spec 4.3.4 convert_u): below 2^63 the signed
    // conversion rounds once; above, halve keeping the lost bit as a sticky bit, convert, double. ---

    [MethodImpl(Inline)]
    public static float F32ConvertU64(long v)
    {
        if (v >= 0) return v;
        var halved = (long)(((ulong)v >> 1) | ((ulong)v & 1));
        float f = halved;
        return f + f;
    }

    [MethodImpl(Inline)]
    public static double F64ConvertU64(long v)
    {
        if (v >= 0) return v;
        var halved = (long)(((ulong)v >> 1) | ((ulong)v & 1));
        double d = halved;
        return d + d;
    }

    [MethodImpl(Inline)]
    public static float F32ConvertI64(long v) => v;

    [MethodImpl(Inline)]
    public static float F32ConvertU32(int v) => (long)(uint)v;

    [MethodImpl(Inline)]
    public static double F64ConvertU32(int v) => (uint)v;
}

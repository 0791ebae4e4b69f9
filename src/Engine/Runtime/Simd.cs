using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector128<byte>;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// The SIMD instructions (Spec 4.3.2-4.3.5 on lanes, 4.4.3 vector instructions), one static method
/// per <see cref="Binary.SimdOpcode"/> of the same name, which generated code calls and RyuJIT
/// inlines. A v128 is a <see cref="Vector128{T}"/> of bytes (lane 0 at the lowest address, as
/// <c>v128.store</c> writes it); each method reinterprets it to its lane type, which costs nothing.
/// </summary>
/// <remarks>
/// Most instructions are one <see cref="Vector128"/> operation. Where the hardware's instruction
/// differs from Wasm's semantics (NaN and -0 in min/max, saturation, shift counts, out-of-range
/// conversions, shuffle indices) the method says which spec rule it implements and how; those are
/// tested at their edges in SimdTests. x86 and Arm64 paths are taken where they are shorter than
/// the portable one; the portable path is what any other target runs.
/// </remarks>
internal static unsafe partial class Simd
{
    private const MethodImplOptions Inline = MethodImplOptions.AggressiveInlining;

    // --- Constants, splats, lanes (Spec 4.4.3.1-4.4.3.6) ---

    [MethodImpl(Inline)]
    public static V V128Const(long low, long high) => Vector128.Create(low, high).AsByte();

    [MethodImpl(Inline)]
    public static V I8x16Splat(int x) => Vector128.Create((byte)x);

    [MethodImpl(Inline)]
    public static V I16x8Splat(int x) => Vector128.Create((ushort)x).AsByte();

    [MethodImpl(Inline)]
    public static V I32x4Splat(int x) => Vector128.Create(x).AsByte();

    [MethodImpl(Inline)]
    public static V I64x2Splat(long x) => Vector128.Create(x).AsByte();

    [MethodImpl(Inline)]
    public static V F32x4Splat(float x) => Vector128.Create(x).AsByte();

    [MethodImpl(Inline)]
    public static V F64x2Splat(double x) => Vector128.Create(x).AsByte();

    [MethodImpl(Inline)]
    public static int I8x16ExtractLaneS(V v, int lane) => v.AsSByte().GetElement(lane);

    [MethodImpl(Inline)]
    public static int I8x16ExtractLaneU(V v, int lane) => v.GetElement(lane);

    [MethodImpl(Inline)]
    public static V I8x16ReplaceLane(V v, int x, int lane) => v.WithElement(lane, (byte)x);

    [MethodImpl(Inline)]
    public static int I16x8ExtractLaneS(V v, int lane) => v.AsInt16().GetElement(lane);

    [MethodImpl(Inline)]
    public static int I16x8ExtractLaneU(V v, int lane) => v.AsUInt16().GetElement(lane);

    [MethodImpl(Inline)]
    public static V I16x8ReplaceLane(V v, int x, int lane) => v.AsUInt16().WithElement(lane, (ushort)x).AsByte();

    [MethodImpl(Inline)]
    public static int I32x4ExtractLane(V v, int lane) => v.AsInt32().GetElement(lane);

    [MethodImpl(Inline)]
    public static V I32x4ReplaceLane(V v, int x, int lane) => v.AsInt32().WithElement(lane, x).AsByte();

    [MethodImpl(Inline)]
    public static long I64x2ExtractLane(V v, int lane) => v.AsInt64().GetElement(lane);

    [MethodImpl(Inline)]
    public static V I64x2ReplaceLane(V v, long x, int lane) => v.AsInt64().WithElement(lane, x).AsByte();

    // The splats RyuJIT folds float arithmetic with (0, -0, 1, -1 in every f32 or f64 lane), as
    // mutable statics the JIT cannot treat as constants: an ordinary load, no call (see
    // FunctionCompiler.EmitSimd). All-zero is f32x4 0 and f64x2 0 alike.
    internal static V Zero = V.Zero;
    internal static V F32x4NegativeZero = Vector128.Create(-0f).AsByte(), F32x4One = Vector128.Create(1f).AsByte(), F32x4NegativeOne = Vector128.Create(-1f).AsByte();
    internal static V F64x2NegativeZero = Vector128.Create(-0d).AsByte(), F64x2One = Vector128.Create(1d).AsByte(), F64x2NegativeOne = Vector128.Create(-1d).AsByte();

    /// <summary>The name of the static holding this v128.const (its low and high halves) when it is one of those splats, or null.</summary>
    internal static string? FoldProneConstant(ulong low, ulong high)
    {
        if (low != high) return null;
        return low switch
        {
            0 => nameof(Zero),
            0x8000_0000_8000_0000 => nameof(F32x4NegativeZero),
            0x3F80_0000_3F80_0000 => nameof(F32x4One),
            0xBF80_0000_BF80_0000 => nameof(F32x4NegativeOne),
            0x8000_0000_0000_0000 => nameof(F64x2NegativeZero),
            0x3FF0_0000_0000_0000 => nameof(F64x2One),
            0xBFF0_0000_0000_0000 => nameof(F64x2NegativeOne),
            _ => null,
        };
    }

    // extract_lane keeps every bit (Spec 4.4.3.2: lanes are reinterpreted, not computed). Of a
    // constant vector RyuJIT folds the lane into a float constant, which it keeps as a double, and
    // the round trip quiets a signalling NaN (0xffb77608 became 0xfff77608, fuzz seed 20262930). A
    // NaN lane therefore comes through an opaque call with its bits; any other costs one compare.
    [MethodImpl(Inline)]
    public static float F32x4ExtractLane(V v, int lane)
    {
        var value = v.AsSingle().GetElement(lane);
        return float.IsNaN(value) ? Numerics.F32FromBits(v.AsInt32().GetElement(lane)) : value;
    }

    [MethodImpl(Inline)]
    public static V F32x4ReplaceLane(V v, float x, int lane) => v.AsSingle().WithElement(lane, x).AsByte();

    [MethodImpl(Inline)]
    public static double F64x2ExtractLane(V v, int lane) => v.AsDouble().GetElement(lane);

    [MethodImpl(Inline)]
    public static V F64x2ReplaceLane(V v, double x, int lane) => v.AsDouble().WithElement(lane, x).AsByte();

    /// <summary><c>select</c> on v128 operands (Spec 4.4.4.2).</summary>
    [MethodImpl(Inline)]
    public static V Select(V a, V b, int condition) => condition != 0 ? a : b;

    // --- Shuffles (Spec 4.4.3.3 i8x16.swizzle, 4.4.3.4 i8x16.shuffle) ---

    /// <summary>
    /// i8x16.swizzle: lane i is a[s[i]], or 0 where s[i] ≥ 16. x86 pshufb zeroes a lane only when
    /// the index's top bit is set, so 0x70 is added with unsigned saturation first: indices 0-15
    /// keep their low four bits, 16-255 reach 0x80 or more. Arm64 tbl already yields 0.
    /// </summary>
    [MethodImpl(Inline)]
    public static V I8x16Swizzle(V a, V s)
    {
        if (Ssse3.IsSupported) return Ssse3.Shuffle(a, Sse2.AddSaturate(s, Vector128.Create((byte)0x70)));
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.VectorTableLookup(a, s);
        return Vector128.Shuffle(a, s); // out-of-range indices select 0
    }

    /// <summary>
    /// i8x16.shuffle with its 16 constant lane indices (each below 32, validated): index i &lt; 16
    /// takes a[i], 16-31 take b[i - 16]. Two table lookups that each zero the other's lanes, or'ed.
    /// </summary>
    [MethodImpl(Inline)]
    public static V I8x16Shuffle(V a, V b, long low, long high)
    {
        var indices = Vector128.Create(low, high).AsByte();
        var fromB = indices - Vector128.Create((byte)16); // 0-15 wrap to 240-255: out of range
        if (Ssse3.IsSupported) return Ssse3.Shuffle(a, Sse2.AddSaturate(indices, Vector128.Create((byte)0x70))) | Ssse3.Shuffle(b, fromB);
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.VectorTableLookup((a, b), indices);
        return Vector128.Shuffle(a, indices) | Vector128.Shuffle(b, fromB);
    }

    // --- Bitwise (Spec 4.3.2 inot, iand, iandnot, ior, ixor, ibitselect; 4.4.3.7 any_true) ---

    [MethodImpl(Inline)]
    public static V V128Not(V v) => ~v;

    [MethodImpl(Inline)]
    public static V V128And(V a, V b) => a & b;

    /// <summary>v128.andnot is a AND NOT b (Vector128.AndNot's order; Sse2.AndNot's is the reverse).</summary>
    [MethodImpl(Inline)]
    public static V V128Andnot(V a, V b) => Vector128.AndNot(a, b);

    [MethodImpl(Inline)]
    public static V V128Or(V a, V b) => a | b;

    [MethodImpl(Inline)]
    public static V V128Xor(V a, V b) => a ^ b;

    /// <summary>v128.bitselect(a, b, c): bits of a where c is 1, of b where c is 0.</summary>
    [MethodImpl(Inline)]
    public static V V128Bitselect(V a, V b, V c) => Vector128.ConditionalSelect(c, a, b);

    [MethodImpl(Inline)]
    public static int V128AnyTrue(V v) => v != V.Zero ? 1 : 0;

    // --- Memory (Spec 4.4.7.1-4.4.7.6); the address is checked by the generated code ---

    [MethodImpl(Inline)]
    public static V V128Load(byte* p) => Unsafe.ReadUnaligned<V>(p);

    [MethodImpl(Inline)]
    public static void V128Store(byte* p, V v) => Unsafe.WriteUnaligned(p, v);

    [MethodImpl(Inline)]
    public static V V128Load8x8S(byte* p) => Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(p)).AsSByte()).AsByte();

    [MethodImpl(Inline)]
    public static V V128Load8x8U(byte* p) => Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(p)).AsByte()).AsByte();

    [MethodImpl(Inline)]
    public static V V128Load16x4S(byte* p) => Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(p)).AsInt16()).AsByte();

    [MethodImpl(Inline)]
    public static V V128Load16x4U(byte* p) => Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(p)).AsUInt16()).AsByte();

    [MethodImpl(Inline)]
    public static V V128Load32x2S(byte* p) => Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(p)).AsInt32()).AsByte();

    [MethodImpl(Inline)]
    public static V V128Load32x2U(byte* p) => Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(p)).AsUInt32()).AsByte();

    [MethodImpl(Inline)]
    public static V V128Load8Splat(byte* p) => Vector128.Create(*p);

    [MethodImpl(Inline)]
    public static V V128Load16Splat(byte* p) => Vector128.Create(Unsafe.ReadUnaligned<ushort>(p)).AsByte();

    [MethodImpl(Inline)]
    public static V V128Load32Splat(byte* p) => Vector128.Create(Unsafe.ReadUnaligned<uint>(p)).AsByte();

    [MethodImpl(Inline)]
    public static V V128Load64Splat(byte* p) => Vector128.Create(Unsafe.ReadUnaligned<ulong>(p)).AsByte();

    [MethodImpl(Inline)]
    public static V V128Load32Zero(byte* p) => Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(p)).AsByte();

    [MethodImpl(Inline)]
    public static V V128Load64Zero(byte* p) => Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(p)).AsByte();

    [MethodImpl(Inline)]
    public static V V128Load8Lane(byte* p, V v, int lane) => v.WithElement(lane, *p);

    [MethodImpl(Inline)]
    public static V V128Load16Lane(byte* p, V v, int lane) => v.AsUInt16().WithElement(lane, Unsafe.ReadUnaligned<ushort>(p)).AsByte();

    [MethodImpl(Inline)]
    public static V V128Load32Lane(byte* p, V v, int lane) => v.AsUInt32().WithElement(lane, Unsafe.ReadUnaligned<uint>(p)).AsByte();

    [MethodImpl(Inline)]
    public static V V128Load64Lane(byte* p, V v, int lane) => v.AsUInt64().WithElement(lane, Unsafe.ReadUnaligned<ulong>(p)).AsByte();

    [MethodImpl(Inline)]
    public static void V128Store8Lane(byte* p, V v, int lane) => *p = v.GetElement(lane);

    [MethodImpl(Inline)]
    public static void V128Store16Lane(byte* p, V v, int lane) => Unsafe.WriteUnaligned(p, v.AsUInt16().GetElement(lane));

    [MethodImpl(Inline)]
    public static void V128Store32Lane(byte* p, V v, int lane) => Unsafe.WriteUnaligned(p, v.AsUInt32().GetElement(lane));

    [MethodImpl(Inline)]
    public static void V128Store64Lane(byte* p, V v, int lane) => Unsafe.WriteUnaligned(p, v.AsUInt64().GetElement(lane));

    // --- Shared lane-generic forms ---

    [MethodImpl(Inline)]
    private static V Eq<T>(V a, V b) => Vector128.Equals(a.As<byte, T>(), b.As<byte, T>()).AsByte();

    [MethodImpl(Inline)]
    private static V Ne<T>(V a, V b) => ~Vector128.Equals(a.As<byte, T>(), b.As<byte, T>()).AsByte();

    [MethodImpl(Inline)]
    private static V Lt<T>(V a, V b) => Vector128.LessThan(a.As<byte, T>(), b.As<byte, T>()).AsByte();

    [MethodImpl(Inline)]
    private static V Gt<T>(V a, V b) => Vector128.GreaterThan(a.As<byte, T>(), b.As<byte, T>()).AsByte();

    [MethodImpl(Inline)]
    private static V Le<T>(V a, V b) => Vector128.LessThanOrEqual(a.As<byte, T>(), b.As<byte, T>()).AsByte();

    [MethodImpl(Inline)]
    private static V Ge<T>(V a, V b) => Vector128.GreaterThanOrEqual(a.As<byte, T>(), b.As<byte, T>()).AsByte();

    [MethodImpl(Inline)]
    private static V Add<T>(V a, V b) => (a.As<byte, T>() + b.As<byte, T>()).AsByte();

    [MethodImpl(Inline)]
    private static V Sub<T>(V a, V b) => (a.As<byte, T>() - b.As<byte, T>()).AsByte();

    [MethodImpl(Inline)]
    private static V Mul<T>(V a, V b) => (a.As<byte, T>() * b.As<byte, T>()).AsByte();

    [MethodImpl(Inline)]
    private static V Min<T>(V a, V b) => Vector128.Min(a.As<byte, T>(), b.As<byte, T>()).AsByte();

    [MethodImpl(Inline)]
    private static V Max<T>(V a, V b) => Vector128.Max(a.As<byte, T>(), b.As<byte, T>()).AsByte();

    [MethodImpl(Inline)]
    private static V Neg<T>(V a) => (Vector128<T>.Zero - a.As<byte, T>()).AsByte();

    [MethodImpl(Inline)]
    private static int AllTrue<T>(V v) => Vector128.EqualsAny(v.As<byte, T>(), Vector128<T>.Zero) ? 0 : 1;

    [MethodImpl(Inline)]
    private static int Bitmask<T>(V v) => (int)Vector128.ExtractMostSignificantBits(v.As<byte, T>());
}

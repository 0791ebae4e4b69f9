namespace Sandbox.Engine.Tests.Spec;

/// <summary>
/// A concrete value from a spec script, as wast2json writes it: its bit pattern, never a parsed
/// float, so that NaN payloads and -0 survive (wabt docs/wast2json.md).
/// </summary>
/// <remarks>
/// i32 and f32 use the low 32 bits of <see cref="Bits"/>; i64 and f64 all 64. A v128 is in
/// <see cref="Vector"/> (lane 0 in the low bits, as in memory). A reference is null when
/// <see cref="IsNull"/>; otherwise a non-null <c>externref</c> carries the host reference number
/// of <c>(ref.extern N)</c> in <see cref="Bits"/>.
/// </remarks>
public readonly record struct SpecValue(ValueType Type, ulong Bits, UInt128 Vector = default, bool IsNull = false)
{
    public static SpecValue I32(uint bits) => new(ValueType.I32, bits);

    public static SpecValue I64(ulong bits) => new(ValueType.I64, bits);

    public static SpecValue F32(uint bits) => new(ValueType.F32, bits);

    public static SpecValue F64(ulong bits) => new(ValueType.F64, bits);

    public static SpecValue V128(UInt128 bits) => new(ValueType.V128, 0, bits);

    public static SpecValue NullRef(ValueType type) => new(type, 0, IsNull: true);

    /// <summary>A non-null <c>externref</c>: the host reference <c>(ref.extern N)</c>.</summary>
    public static SpecValue ExternRef(ulong hostReference) => new(ValueType.ExternRef, hostReference);

    public override string ToString() => Type switch
    {
        ValueType.I32 or ValueType.F32 => $"{Type.ToWat()}:0x{(uint)Bits:x8}",
        ValueType.V128 => $"v128:0x{Vector:x32}",
        _ when Type.IsReference() => IsNull ? $"(ref.null {Type.ToWat()})" : $"({Type.ToWat()} {Bits})",
        _ => $"{Type.ToWat()}:0x{Bits:x16}",
    };
}

namespace Sandbox.Engine.Binary.Internal;

/// <summary>
/// The operand stack effect of a SIMD instruction (Spec 3.3.3 vector instructions); t is the
/// instruction's scalar type (<see cref="SimdInstruction.Scalar"/>), v is v128.
/// </summary>
internal enum SimdShape : byte
{
    /// <summary>[v] → [v]</summary>
    Unary,

    /// <summary>[v v] → [v]</summary>
    Binary,

    /// <summary>[v v v] → [v] (v128.bitselect)</summary>
    Ternary,

    /// <summary>[v] → [i32] (any_true, all_true, bitmask)</summary>
    Test,

    /// <summary>[v i32] → [v] (shl, shr_s, shr_u; the count is taken modulo the lane width)</summary>
    Shift,

    /// <summary>[t] → [v]</summary>
    Splat,

    /// <summary>[v] → [t]</summary>
    ExtractLane,

    /// <summary>[v t] → [v]</summary>
    ReplaceLane,

    /// <summary>[i32 address] → [v]</summary>
    Load,

    /// <summary>[i32 address, v] → []</summary>
    Store,

    /// <summary>[i32 address, v] → [v]</summary>
    LoadLane,

    /// <summary>[i32 address, v] → []</summary>
    StoreLane,

    /// <summary>[] → [v] (v128.const)</summary>
    Const,
}

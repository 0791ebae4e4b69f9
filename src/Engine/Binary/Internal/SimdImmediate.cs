namespace Sandbox.Engine.Binary.Internal;

/// <summary>The immediates after a SIMD sub-opcode (Spec 5.4.8).</summary>
internal enum SimdImmediate : byte
{
    /// <summary>No immediate.</summary>
    None,

    /// <summary>A memarg (alignment, offset).</summary>
    MemArg,

    /// <summary>A memarg then a lane index byte (v128.loadN_lane, v128.storeN_lane).</summary>
    MemArgLane,

    /// <summary>A lane index byte (extract_lane, replace_lane).</summary>
    Lane,

    /// <summary>16 bytes of a constant (v128.const).</summary>
    Bytes16,

    /// <summary>16 lane index bytes, each below 32 (i8x16.shuffle).</summary>
    Shuffle,
}

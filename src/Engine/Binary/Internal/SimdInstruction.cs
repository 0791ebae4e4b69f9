namespace Sandbox.Engine.Binary.Internal;

/// <summary>One row of <see cref="SimdTable"/>.</summary>
/// <param name="Width">Bytes a memory instruction accesses (the memarg's alignment may be at most its log2).</param>
/// <param name="Lanes">Lanes a lane index must stay below, for instructions with one.</param>
/// <param name="Scalar">The scalar type of a splat, extract_lane or replace_lane.</param>
internal readonly record struct SimdInstruction(SimdOpcode Opcode, SimdImmediate Immediate, SimdShape Shape, int Width = 0, int Lanes = 0, ValueType Scalar = ValueType.I32)
{
    /// <summary>log2 of <see cref="Width"/>: the largest alignment a memarg may give (Spec 3.3.7).</summary>
    public int NaturalAlignment => System.Numerics.BitOperations.Log2((uint)Width);
}

namespace Sandbox.Engine.Binary.Internal;

/// <summary>
/// The one table of SIMD instructions: for each 0xFD sub-opcode its immediates, stack shape,
/// memory width, lane count and scalar type. The decoder skips immediates with it
/// (<see cref="InstructionSkipper"/>), the validator types instructions with it
/// (<c>FunctionValidator.Simd</c>) and the compiler emits them with it
/// (<c>FunctionCompiler.Simd</c>: each instruction becomes a call to the
/// <see cref="Runtime.Simd"/> helper of the same name, which RyuJIT inlines).
/// </summary>
internal static class SimdTable
{
    /// <summary>Sub-opcodes are below this (0xFF is the last, f64x2.convert_low_i32x4_u).</summary>
    public const uint Size = 0x100;

    /// <summary>The instruction of <paramref name="opcode"/>, or false for an unassigned sub-opcode.</summary>
    public static bool TryGet(uint opcode, out SimdInstruction instruction)
    {
        if (opcode < Size && ByOpcode[opcode] is { } found)
        {
            instruction = found;
            return true;
        }
        instruction = default;
        return false;
    }

    /// <summary>Every instruction, in opcode order.</summary>
    public static IEnumerable<SimdInstruction> All => Rows;

    private static SimdInstruction?[] Build()
    {
        var table = new SimdInstruction?[Size];
        foreach (var row in Rows) table[(uint)row.Opcode] = row;
        return table;
    }

    private static readonly SimdInstruction[] Rows =
    [
        new(SimdOpcode.V128Load, SimdImmediate.MemArg, SimdShape.Load, Width: 16),
        new(SimdOpcode.V128Load8x8S, SimdImmediate.MemArg, SimdShape.Load, Width: 8),
        new(SimdOpcode.V128Load8x8U, SimdImmediate.MemArg, SimdShape.Load, Width: 8),
        new(SimdOpcode.V128Load16x4S, SimdImmediate.MemArg, SimdShape.Load, Width: 8),
        new(SimdOpcode.V128Load16x4U, SimdImmediate.MemArg, SimdShape.Load, Width: 8),
        new(SimdOpcode.V128Load32x2S, SimdImmediate.MemArg, SimdShape.Load, Width: 8),
        new(SimdOpcode.V128Load32x2U, SimdImmediate.MemArg, SimdShape.Load, Width: 8),
        new(SimdOpcode.V128Load8Splat, SimdImmediate.MemArg, SimdShape.Load, Width: 1),
        new(SimdOpcode.V128Load16Splat, SimdImmediate.MemArg, SimdShape.Load, Width: 2),
        new(SimdOpcode.V128Load32Splat, SimdImmediate.MemArg, SimdShape.Load, Width: 4),
        new(SimdOpcode.V128Load64Splat, SimdImmediate.MemArg, SimdShape.Load, Width: 8),
        new(SimdOpcode.V128Store, SimdImmediate.MemArg, SimdShape.Store, Width: 16),
        new(SimdOpcode.V128Const, SimdImmediate.Bytes16, SimdShape.Const),
        new(SimdOpcode.I8x16Shuffle, SimdImmediate.Shuffle, SimdShape.Binary),
        new(SimdOpcode.I8x16Swizzle, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16Splat, SimdImmediate.None, SimdShape.Splat, Scalar: ValueType.I32),
        new(SimdOpcode.I16x8Splat, SimdImmediate.None, SimdShape.Splat, Scalar: ValueType.I32),
        new(SimdOpcode.I32x4Splat, SimdImmediate.None, SimdShape.Splat, Scalar: ValueType.I32),
        new(SimdOpcode.I64x2Splat, SimdImmediate.None, SimdShape.Splat, Scalar: ValueType.I64),
        new(SimdOpcode.F32x4Splat, SimdImmediate.None, SimdShape.Splat, Scalar: ValueType.F32),
        new(SimdOpcode.F64x2Splat, SimdImmediate.None, SimdShape.Splat, Scalar: ValueType.F64),
        new(SimdOpcode.I8x16ExtractLaneS, SimdImmediate.Lane, SimdShape.ExtractLane, Lanes: 16, Scalar: ValueType.I32),
        new(SimdOpcode.I8x16ExtractLaneU, SimdImmediate.Lane, SimdShape.ExtractLane, Lanes: 16, Scalar: ValueType.I32),
        new(SimdOpcode.I8x16ReplaceLane, SimdImmediate.Lane, SimdShape.ReplaceLane, Lanes: 16, Scalar: ValueType.I32),
        new(SimdOpcode.I16x8ExtractLaneS, SimdImmediate.Lane, SimdShape.ExtractLane, Lanes: 8, Scalar: ValueType.I32),
        new(SimdOpcode.I16x8ExtractLaneU, SimdImmediate.Lane, SimdShape.ExtractLane, Lanes: 8, Scalar: ValueType.I32),
        new(SimdOpcode.I16x8ReplaceLane, SimdImmediate.Lane, SimdShape.ReplaceLane, Lanes: 8, Scalar: ValueType.I32),
        new(SimdOpcode.I32x4ExtractLane, SimdImmediate.Lane, SimdShape.ExtractLane, Lanes: 4, Scalar: ValueType.I32),
        new(SimdOpcode.I32x4ReplaceLane, SimdImmediate.Lane, SimdShape.ReplaceLane, Lanes: 4, Scalar: ValueType.I32),
        new(SimdOpcode.I64x2ExtractLane, SimdImmediate.Lane, SimdShape.ExtractLane, Lanes: 2, Scalar: ValueType.I64),
        new(SimdOpcode.I64x2ReplaceLane, SimdImmediate.Lane, SimdShape.ReplaceLane, Lanes: 2, Scalar: ValueType.I64),
        new(SimdOpcode.F32x4ExtractLane, SimdImmediate.Lane, SimdShape.ExtractLane, Lanes: 4, Scalar: ValueType.F32),
        new(SimdOpcode.F32x4ReplaceLane, SimdImmediate.Lane, SimdShape.ReplaceLane, Lanes: 4, Scalar: ValueType.F32),
        new(SimdOpcode.F64x2ExtractLane, SimdImmediate.Lane, SimdShape.ExtractLane, Lanes: 2, Scalar: ValueType.F64),
        new(SimdOpcode.F64x2ReplaceLane, SimdImmediate.Lane, SimdShape.ReplaceLane, Lanes: 2, Scalar: ValueType.F64),
        new(SimdOpcode.I8x16Eq, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16Ne, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16LtS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16LtU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16GtS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16GtU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16LeS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16LeU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16GeS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16GeU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8Eq, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8Ne, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8LtS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8LtU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8GtS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8GtU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8LeS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8LeU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8GeS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8GeU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4Eq, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4Ne, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4LtS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4LtU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4GtS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4GtU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4LeS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4LeU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4GeS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4GeU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F32x4Eq, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F32x4Ne, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F32x4Lt, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F32x4Gt, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F32x4Le, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F32x4Ge, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Eq, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Ne, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Lt, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Gt, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Le, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Ge, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.V128Not, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.V128And, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.V128Andnot, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.V128Or, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.V128Xor, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.V128Bitselect, SimdImmediate.None, SimdShape.Ternary),
        new(SimdOpcode.V128AnyTrue, SimdImmediate.None, SimdShape.Test),
        new(SimdOpcode.V128Load8Lane, SimdImmediate.MemArgLane, SimdShape.LoadLane, Width: 1, Lanes: 16),
        new(SimdOpcode.V128Load16Lane, SimdImmediate.MemArgLane, SimdShape.LoadLane, Width: 2, Lanes: 8),
        new(SimdOpcode.V128Load32Lane, SimdImmediate.MemArgLane, SimdShape.LoadLane, Width: 4, Lanes: 4),
        new(SimdOpcode.V128Load64Lane, SimdImmediate.MemArgLane, SimdShape.LoadLane, Width: 8, Lanes: 2),
        new(SimdOpcode.V128Store8Lane, SimdImmediate.MemArgLane, SimdShape.StoreLane, Width: 1, Lanes: 16),
        new(SimdOpcode.V128Store16Lane, SimdImmediate.MemArgLane, SimdShape.StoreLane, Width: 2, Lanes: 8),
        new(SimdOpcode.V128Store32Lane, SimdImmediate.MemArgLane, SimdShape.StoreLane, Width: 4, Lanes: 4),
        new(SimdOpcode.V128Store64Lane, SimdImmediate.MemArgLane, SimdShape.StoreLane, Width: 8, Lanes: 2),
        new(SimdOpcode.V128Load32Zero, SimdImmediate.MemArg, SimdShape.Load, Width: 4),
        new(SimdOpcode.V128Load64Zero, SimdImmediate.MemArg, SimdShape.Load, Width: 8),
        new(SimdOpcode.F32x4DemoteF64x2Zero, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.F64x2PromoteLowF32x4, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I8x16Abs, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I8x16Neg, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I8x16Popcnt, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I8x16AllTrue, SimdImmediate.None, SimdShape.Test),
        new(SimdOpcode.I8x16Bitmask, SimdImmediate.None, SimdShape.Test),
        new(SimdOpcode.I8x16NarrowI16x8S, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16NarrowI16x8U, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F32x4Ceil, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.F32x4Floor, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.F32x4Trunc, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.F32x4Nearest, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I8x16Shl, SimdImmediate.None, SimdShape.Shift),
        new(SimdOpcode.I8x16ShrS, SimdImmediate.None, SimdShape.Shift),
        new(SimdOpcode.I8x16ShrU, SimdImmediate.None, SimdShape.Shift),
        new(SimdOpcode.I8x16Add, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16AddSatS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16AddSatU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16Sub, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16SubSatS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16SubSatU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Ceil, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.F64x2Floor, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I8x16MinS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16MinU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16MaxS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I8x16MaxU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Trunc, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I8x16AvgrU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8ExtaddPairwiseI8x16S, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I16x8ExtaddPairwiseI8x16U, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I32x4ExtaddPairwiseI16x8S, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I32x4ExtaddPairwiseI16x8U, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I16x8Abs, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I16x8Neg, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I16x8Q15mulrSatS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8AllTrue, SimdImmediate.None, SimdShape.Test),
        new(SimdOpcode.I16x8Bitmask, SimdImmediate.None, SimdShape.Test),
        new(SimdOpcode.I16x8NarrowI32x4S, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8NarrowI32x4U, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8ExtendLowI8x16S, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I16x8ExtendHighI8x16S, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I16x8ExtendLowI8x16U, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I16x8ExtendHighI8x16U, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I16x8Shl, SimdImmediate.None, SimdShape.Shift),
        new(SimdOpcode.I16x8ShrS, SimdImmediate.None, SimdShape.Shift),
        new(SimdOpcode.I16x8ShrU, SimdImmediate.None, SimdShape.Shift),
        new(SimdOpcode.I16x8Add, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8AddSatS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8AddSatU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8Sub, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8SubSatS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8SubSatU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Nearest, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I16x8Mul, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8MinS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8MinU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8MaxS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8MaxU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8AvgrU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8ExtmulLowI8x16S, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8ExtmulHighI8x16S, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8ExtmulLowI8x16U, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I16x8ExtmulHighI8x16U, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4Abs, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I32x4Neg, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I32x4AllTrue, SimdImmediate.None, SimdShape.Test),
        new(SimdOpcode.I32x4Bitmask, SimdImmediate.None, SimdShape.Test),
        new(SimdOpcode.I32x4ExtendLowI16x8S, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I32x4ExtendHighI16x8S, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I32x4ExtendLowI16x8U, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I32x4ExtendHighI16x8U, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I32x4Shl, SimdImmediate.None, SimdShape.Shift),
        new(SimdOpcode.I32x4ShrS, SimdImmediate.None, SimdShape.Shift),
        new(SimdOpcode.I32x4ShrU, SimdImmediate.None, SimdShape.Shift),
        new(SimdOpcode.I32x4Add, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4Sub, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4Mul, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4MinS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4MinU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4MaxS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4MaxU, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4DotI16x8S, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4ExtmulLowI16x8S, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4ExtmulHighI16x8S, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4ExtmulLowI16x8U, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4ExtmulHighI16x8U, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I64x2Abs, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I64x2Neg, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I64x2AllTrue, SimdImmediate.None, SimdShape.Test),
        new(SimdOpcode.I64x2Bitmask, SimdImmediate.None, SimdShape.Test),
        new(SimdOpcode.I64x2ExtendLowI32x4S, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I64x2ExtendHighI32x4S, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I64x2ExtendLowI32x4U, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I64x2ExtendHighI32x4U, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I64x2Shl, SimdImmediate.None, SimdShape.Shift),
        new(SimdOpcode.I64x2ShrS, SimdImmediate.None, SimdShape.Shift),
        new(SimdOpcode.I64x2ShrU, SimdImmediate.None, SimdShape.Shift),
        new(SimdOpcode.I64x2Add, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I64x2Sub, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I64x2Mul, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I64x2Eq, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I64x2Ne, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I64x2LtS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I64x2GtS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I64x2LeS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I64x2GeS, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I64x2ExtmulLowI32x4S, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I64x2ExtmulHighI32x4S, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I64x2ExtmulLowI32x4U, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I64x2ExtmulHighI32x4U, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F32x4Abs, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.F32x4Neg, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.F32x4Sqrt, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.F32x4Add, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F32x4Sub, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F32x4Mul, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F32x4Div, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F32x4Min, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F32x4Max, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F32x4Pmin, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F32x4Pmax, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Abs, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.F64x2Neg, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.F64x2Sqrt, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.F64x2Add, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Sub, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Mul, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Div, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Min, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Max, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Pmin, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.F64x2Pmax, SimdImmediate.None, SimdShape.Binary),
        new(SimdOpcode.I32x4TruncSatF32x4S, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I32x4TruncSatF32x4U, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.F32x4ConvertI32x4S, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.F32x4ConvertI32x4U, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I32x4TruncSatF64x2SZero, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.I32x4TruncSatF64x2UZero, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.F64x2ConvertLowI32x4S, SimdImmediate.None, SimdShape.Unary),
        new(SimdOpcode.F64x2ConvertLowI32x4U, SimdImmediate.None, SimdShape.Unary),
    ];

    // After Rows: static fields initialise in text order.
    private static readonly SimdInstruction?[] ByOpcode = Build();
}

/// <summary>The immediates of one SIMD instruction as read (the validator checks their ranges).</summary>
internal readonly record struct SimdImmediates(uint Align, uint Offset, byte Lane, ulong Low, ulong High)
{
    /// <summary>Reads the immediates <paramref name="instruction"/> takes; the sub-opcode has been read.</summary>
    public static SimdImmediates Read(in SimdInstruction instruction, ref WasmReader reader)
    {
        switch (instruction.Immediate)
        {
            case SimdImmediate.MemArg:
                return new(reader.ReadU32(), reader.ReadU32(), 0, 0, 0);
            case SimdImmediate.MemArgLane:
            {
                var align = reader.ReadU32();
                var offset = reader.ReadU32();
                return new(align, offset, reader.ReadByte(), 0, 0);
            }
            case SimdImmediate.Lane:
                return new(0, 0, reader.ReadByte(), 0, 0);
            case SimdImmediate.Bytes16 or SimdImmediate.Shuffle:
            {
                // Little-endian: byte 0 of the immediate is lane 0, the lowest address (Spec 5.4.8).
                var low = reader.ReadF64Bits();
                var high = reader.ReadF64Bits();
                return new(0, 0, 0, low, high);
            }
            default:
                return default;
        }
    }
}

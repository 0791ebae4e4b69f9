using Sandbox.Engine.Binary;

namespace Sandbox.Engine.Validation.Internal;

/// <summary>
/// Operand and result types of the plain numeric instructions 0x45–0xC4 (Spec 3.3.1), as a table
/// so that every operator is checked by the same code: one or two operands of the same type and
/// one result.
/// </summary>
internal static class NumericSignatures
{
    /// <summary>(operand type, operand count, result type) by opcode; operand count 0 means not numeric.</summary>
    private static readonly (ValueType Operand, byte Arity, ValueType Result)[] Table = Build();

    public static bool TryGet(Opcode opcode, out ValueType operand, out int arity, out ValueType result)
    {
        (operand, var a, result) = Table[(byte)opcode];
        arity = a;
        return a != 0;
    }

    private static (ValueType, byte, ValueType)[] Build()
    {
        var t = new (ValueType, byte, ValueType)[256];
        const ValueType I32 = ValueType.I32, I64 = ValueType.I64, F32 = ValueType.F32, F64 = ValueType.F64;

        void Range(Opcode first, Opcode last, ValueType operand, byte arity, ValueType result)
        {
            for (var op = (int)first; op <= (int)last; op++) t[op] = (operand, arity, result);
        }

        void One(Opcode op, ValueType operand, ValueType result) => t[(byte)op] = (operand, 1, result);

        One(Opcode.I32Eqz, I32, I32);
        Range(Opcode.I32Eq, Opcode.I32GeU, I32, 2, I32);
        One(Opcode.I64Eqz, I64, I32);
        Range(Opcode.I64Eq, Opcode.I64GeU, I64, 2, I32);
        Range(Opcode.F32Eq, Opcode.F32Ge, F32, 2, I32);
        Range(Opcode.F64Eq, Opcode.F64Ge, F64, 2, I32);

        Range(Opcode.I32Clz, Opcode.I32Popcnt, I32, 1, I32);
        Range(Opcode.I32Add, Opcode.I32Rotr, I32, 2, I32);
        Range(Opcode.I64Clz, Opcode.I64Popcnt, I64, 1, I64);
        Range(Opcode.I64Add, Opcode.I64Rotr, I64, 2, I64);
        Range(Opcode.F32Abs, Opcode.F32Sqrt, F32, 1, F32);
        Range(Opcode.F32Add, Opcode.F32Copysign, F32, 2, F32);
        Range(Opcode.F64Abs, Opcode.F64Sqrt, F64, 1, F64);
        Range(Opcode.F64Add, Opcode.F64Copysign, F64, 2, F64);

        One(Opcode.I32WrapI64, I64, I32);
        Range(Opcode.I32TruncF32S, Opcode.I32TruncF32U, F32, 1, I32);
        Range(Opcode.I32TruncF64S, Opcode.I32TruncF64U, F64, 1, I32);
        Range(Opcode.I64ExtendI32S, Opcode.I64ExtendI32U, I32, 1, I64);
        Range(Opcode.I64TruncF32S, Opcode.I64TruncF32U, F32, 1, I64);
        Range(Opcode.I64TruncF64S, Opcode.I64TruncF64U, F64, 1, I64);
        Range(Opcode.F32ConvertI32S, Opcode.F32ConvertI32U, I32, 1, F32);
        Range(Opcode.F32ConvertI64S, Opcode.F32ConvertI64U, I64, 1, F32);
        One(Opcode.F32DemoteF64, F64, F32);
        Range(Opcode.F64ConvertI32S, Opcode.F64ConvertI32U, I32, 1, F64);
        Range(Opcode.F64ConvertI64S, Opcode.F64ConvertI64U, I64, 1, F64);
        One(Opcode.F64PromoteF32, F32, F64);
        One(Opcode.I32ReinterpretF32, F32, I32);
        One(Opcode.I64ReinterpretF64, F64, I64);
        One(Opcode.F32ReinterpretI32, I32, F32);
        One(Opcode.F64ReinterpretI64, I64, F64);

        Range(Opcode.I32Extend8S, Opcode.I32Extend16S, I32, 1, I32);
        Range(Opcode.I64Extend8S, Opcode.I64Extend32S, I64, 1, I64);
        return t;
    }

    /// <summary>Value type and natural alignment (log2 of the access size) of a load or store, 0x28–0x3E.</summary>
    public static (ValueType Type, int NaturalAlignment, bool IsStore) MemoryAccess(Opcode opcode) => opcode switch
    {
        Opcode.I32Load => (ValueType.I32, 2, false),
        Opcode.I64Load => (ValueType.I64, 3, false),
        Opcode.F32Load => (ValueType.F32, 2, false),
        Opcode.F64Load => (ValueType.F64, 3, false),
        Opcode.I32Load8S or Opcode.I32Load8U => (ValueType.I32, 0, false),
        Opcode.I32Load16S or Opcode.I32Load16U => (ValueType.I32, 1, false),
        Opcode.I64Load8S or Opcode.I64Load8U => (ValueType.I64, 0, false),
        Opcode.I64Load16S or Opcode.I64Load16U => (ValueType.I64, 1, false),
        Opcode.I64Load32S or Opcode.I64Load32U => (ValueType.I64, 2, false),
        Opcode.I32Store => (ValueType.I32, 2, true),
        Opcode.I64Store => (ValueType.I64, 3, true),
        Opcode.F32Store => (ValueType.F32, 2, true),
        Opcode.F64Store => (ValueType.F64, 3, true),
        Opcode.I32Store8 => (ValueType.I32, 0, true),
        Opcode.I32Store16 => (ValueType.I32, 1, true),
        Opcode.I64Store8 => (ValueType.I64, 0, true),
        Opcode.I64Store16 => (ValueType.I64, 1, true),
        Opcode.I64Store32 => (ValueType.I64, 2, true),
        _ => throw new ArgumentOutOfRangeException(nameof(opcode)),
    };
}

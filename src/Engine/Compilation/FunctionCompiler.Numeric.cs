using System.Numerics;
using System.Reflection.Emit;
using Sandbox.Engine.Binary;
using Sandbox.Engine.Runtime;

namespace Sandbox.Engine.Compilation;

// Numeric instructions (Spec 4.4.1, 4.3.2-4.3.4): IL opcodes where their semantics are exactly
// Wasm's, otherwise calls to Numerics (inlined by the JIT) or BCL intrinsics.
internal sealed partial class FunctionCompiler
{
    private const ValueType I32 = ValueType.I32, I64 = ValueType.I64, F32 = ValueType.F32, F64 = ValueType.F64;

    private void EmitNumeric(Opcode opcode)
    {
        switch (opcode)
        {
            // Comparisons push an i32 0 or 1. Float le/ge use the unordered inverse so NaN gives 0.
            case Opcode.I32Eqz: Op(I32, I32, OpCodes.Ldc_I4_0, OpCodes.Ceq); break;
            case Opcode.I64Eqz:
                Pop();
                il.Emit(OpCodes.Ldc_I8, 0L);
                il.Emit(OpCodes.Ceq);
                Push(I32);
                break;
            case Opcode.I32Eq: Compare(I32, OpCodes.Ceq); break;
            case Opcode.I32Ne: Compare(I32, OpCodes.Ceq, negate: true); break;
            case Opcode.I32LtS: Compare(I32, OpCodes.Clt); break;
            case Opcode.I32LtU: Compare(I32, OpCodes.Clt_Un); break;
            case Opcode.I32GtS: Compare(I32, OpCodes.Cgt); break;
            case Opcode.I32GtU: Compare(I32, OpCodes.Cgt_Un); break;
            case Opcode.I32LeS: Compare(I32, OpCodes.Cgt, negate: true); break;
            case Opcode.I32LeU: Compare(I32, OpCodes.Cgt_Un, negate: true); break;
            case Opcode.I32GeS: Compare(I32, OpCodes.Clt, negate: true); break;
            case Opcode.I32GeU: Compare(I32, OpCodes.Clt_Un, negate: true); break;
            case Opcode.I64Eq: Compare(I64, OpCodes.Ceq); break;
            case Opcode.I64Ne: Compare(I64, OpCodes.Ceq, negate: true); break;
            case Opcode.I64LtS: Compare(I64, OpCodes.Clt); break;
            case Opcode.I64LtU: Compare(I64, OpCodes.Clt_Un); break;
            case Opcode.I64GtS: Compare(I64, OpCodes.Cgt); break;
            case Opcode.I64GtU: Compare(I64, OpCodes.Cgt_Un); break;
            case Opcode.I64LeS: Compare(I64, OpCodes.Cgt, negate: true); break;
            case Opcode.I64LeU: Compare(I64, OpCodes.Cgt_Un, negate: true); break;
            case Opcode.I64GeS: Compare(I64, OpCodes.Clt, negate: true); break;
            case Opcode.I64GeU: Compare(I64, OpCodes.Clt_Un, negate: true); break;
            case Opcode.F32Eq: Compare(F32, OpCodes.Ceq); break;
            case Opcode.F32Ne: Compare(F32, OpCodes.Ceq, negate: true); break;
            case Opcode.F32Lt: Compare(F32, OpCodes.Clt); break;
            case Opcode.F32Gt: Compare(F32, OpCodes.Cgt); break;
            case Opcode.F32Le: Compare(F32, OpCodes.Cgt_Un, negate: true); break;
            case Opcode.F32Ge: Compare(F32, OpCodes.Clt_Un, negate: true); break;
            case Opcode.F64Eq: Compare(F64, OpCodes.Ceq); break;
            case Opcode.F64Ne: Compare(F64, OpCodes.Ceq, negate: true); break;
            case Opcode.F64Lt: Compare(F64, OpCodes.Clt); break;
            case Opcode.F64Gt: Compare(F64, OpCodes.Cgt); break;
            case Opcode.F64Le: Compare(F64, OpCodes.Cgt_Un, negate: true); break;
            case Opcode.F64Ge: Compare(F64, OpCodes.Clt_Un, negate: true); break;

            case Opcode.I32Clz: Call(I32, I32, Members.Bits(nameof(BitOperations.LeadingZeroCount), typeof(uint))); break;
            case Opcode.I32Ctz: Call(I32, I32, Members.Bits(nameof(BitOperations.TrailingZeroCount), typeof(int))); break;
            case Opcode.I32Popcnt: Call(I32, I32, Members.Bits(nameof(BitOperations.PopCount), typeof(uint))); break;
            case Opcode.I32Add: Binary(I32, OpCodes.Add); break;
            case Opcode.I32Sub: Binary(I32, OpCodes.Sub); break;
            case Opcode.I32Mul: Binary(I32, OpCodes.Mul); break;
            case Opcode.I32DivS: BinaryCall(I32, nameof(Numerics.I32DivS)); break;
            case Opcode.I32DivU: BinaryCall(I32, nameof(Numerics.I32DivU)); break;
            case Opcode.I32RemS: BinaryCall(I32, nameof(Numerics.I32RemS)); break;
            case Opcode.I32RemU: BinaryCall(I32, nameof(Numerics.I32RemU)); break;
            case Opcode.I32And: Binary(I32, OpCodes.And); break;
            case Opcode.I32Or: Binary(I32, OpCodes.Or); break;
            case Opcode.I32Xor: Binary(I32, OpCodes.Xor); break;
            case Opcode.I32Shl: Shift(I32, OpCodes.Shl); break;
            case Opcode.I32ShrS: Shift(I32, OpCodes.Shr); break;
            case Opcode.I32ShrU: Shift(I32, OpCodes.Shr_Un); break;
            case Opcode.I32Rotl: Rotate(I32, nameof(BitOperations.RotateLeft)); break;
            case Opcode.I32Rotr: Rotate(I32, nameof(BitOperations.RotateRight)); break;

            case Opcode.I64Clz: Call(I64, I64, Members.Bits(nameof(BitOperations.LeadingZeroCount), typeof(ulong)), OpCodes.Conv_I8); break;
            case Opcode.I64Ctz: Call(I64, I64, Members.Bits(nameof(BitOperations.TrailingZeroCount), typeof(long)), OpCodes.Conv_I8); break;
            case Opcode.I64Popcnt: Call(I64, I64, Members.Bits(nameof(BitOperations.PopCount), typeof(ulong)), OpCodes.Conv_I8); break;
            case Opcode.I64Add: Binary(I64, OpCodes.Add); break;
            case Opcode.I64Sub: Binary(I64, OpCodes.Sub); break;
            case Opcode.I64Mul: Binary(I64, OpCodes.Mul); break;
            case Opcode.I64DivS: BinaryCall(I64, nameof(Numerics.I64DivS)); break;
            case Opcode.I64DivU: BinaryCall(I64, nameof(Numerics.I64DivU)); break;
            case Opcode.I64RemS: BinaryCall(I64, nameof(Numerics.I64RemS)); break;
            case Opcode.I64RemU: BinaryCall(I64, nameof(Numerics.I64RemU)); break;
            case Opcode.I64And: Binary(I64, OpCodes.And); break;
            case Opcode.I64Or: Binary(I64, OpCodes.Or); break;
            case Opcode.I64Xor: Binary(I64, OpCodes.Xor); break;
            case Opcode.I64Shl: Shift(I64, OpCodes.Shl); break;
            case Opcode.I64ShrS: Shift(I64, OpCodes.Shr); break;
            case Opcode.I64ShrU: Shift(I64, OpCodes.Shr_Un); break;
            case Opcode.I64Rotl: Rotate(I64, nameof(BitOperations.RotateLeft)); break;
            case Opcode.I64Rotr: Rotate(I64, nameof(BitOperations.RotateRight)); break;

            case Opcode.F32Abs: Call(F32, F32, Members.Numeric(nameof(Numerics.F32Abs))); break;
            case Opcode.F32Neg: Call(F32, F32, Members.Numeric(nameof(Numerics.F32Neg))); break;
            case Opcode.F32Ceil: Call(F32, F32, Members.StaticMethod(typeof(MathF), nameof(MathF.Ceiling), typeof(float))); break;
            case Opcode.F32Floor: Call(F32, F32, Members.StaticMethod(typeof(MathF), nameof(MathF.Floor), typeof(float))); break;
            case Opcode.F32Trunc: Call(F32, F32, Members.StaticMethod(typeof(MathF), nameof(MathF.Truncate), typeof(float))); break;
            case Opcode.F32Nearest: Call(F32, F32, Members.Numeric(nameof(Numerics.F32Nearest))); break;
            case Opcode.F32Sqrt: Call(F32, F32, Members.StaticMethod(typeof(MathF), nameof(MathF.Sqrt), typeof(float))); break;
            case Opcode.F32Add: Binary(F32, OpCodes.Add); break;
            case Opcode.F32Sub: Binary(F32, OpCodes.Sub); break;
            case Opcode.F32Mul: Binary(F32, OpCodes.Mul); break;
            case Opcode.F32Div: Binary(F32, OpCodes.Div); break;
            case Opcode.F32Min: BinaryCall(F32, nameof(Numerics.F32Min)); break;
            case Opcode.F32Max: BinaryCall(F32, nameof(Numerics.F32Max)); break;
            case Opcode.F32Copysign: BinaryCall(F32, nameof(Numerics.F32CopySign)); break;

            case Opcode.F64Abs: Call(F64, F64, Members.Numeric(nameof(Numerics.F64Abs))); break;
            case Opcode.F64Neg: Call(F64, F64, Members.Numeric(nameof(Numerics.F64Neg))); break;
            case Opcode.F64Ceil: Call(F64, F64, Members.StaticMethod(typeof(Math), nameof(Math.Ceiling), typeof(double))); break;
            case Opcode.F64Floor: Call(F64, F64, Members.StaticMethod(typeof(Math), nameof(Math.Floor), typeof(double))); break;
            case Opcode.F64Trunc: Call(F64, F64, Members.StaticMethod(typeof(Math), nameof(Math.Truncate), typeof(double))); break;
            case Opcode.F64Nearest: Call(F64, F64, Members.Numeric(nameof(Numerics.F64Nearest))); break;
            case Opcode.F64Sqrt: Call(F64, F64, Members.StaticMethod(typeof(Math), nameof(Math.Sqrt), typeof(double))); break;
            case Opcode.F64Add: Binary(F64, OpCodes.Add); break;
            case Opcode.F64Sub: Binary(F64, OpCodes.Sub); break;
            case Opcode.F64Mul: Binary(F64, OpCodes.Mul); break;
            case Opcode.F64Div: Binary(F64, OpCodes.Div); break;
            case Opcode.F64Min: BinaryCall(F64, nameof(Numerics.F64Min)); break;
            case Opcode.F64Max: BinaryCall(F64, nameof(Numerics.F64Max)); break;
            case Opcode.F64Copysign: BinaryCall(F64, nameof(Numerics.F64CopySign)); break;

            // Conversions (Spec 4.3.4).
            case Opcode.I32WrapI64: Op(I64, I32, OpCodes.Conv_I4); break;
            case Opcode.I32TruncF32S: Call(F32, I32, Members.StaticMethod(typeof(Numerics), nameof(Numerics.I32TruncS), typeof(float))); break;
            case Opcode.I32TruncF32U: Call(F32, I32, Members.StaticMethod(typeof(Numerics), nameof(Numerics.I32TruncU), typeof(float))); break;
            case Opcode.I32TruncF64S: Call(F64, I32, Members.StaticMethod(typeof(Numerics), nameof(Numerics.I32TruncS), typeof(double))); break;
            case Opcode.I32TruncF64U: Call(F64, I32, Members.StaticMethod(typeof(Numerics), nameof(Numerics.I32TruncU), typeof(double))); break;
            case Opcode.I64ExtendI32S: Op(I32, I64, OpCodes.Conv_I8); break;
            case Opcode.I64ExtendI32U: Op(I32, I64, OpCodes.Conv_U8); break;
            case Opcode.I64TruncF32S: Call(F32, I64, Members.StaticMethod(typeof(Numerics), nameof(Numerics.I64TruncS), typeof(float))); break;
            case Opcode.I64TruncF32U: Op(F32, I64, OpCodes.Conv_R8, Members.Numeric(nameof(Numerics.I64TruncU))); break;
            case Opcode.I64TruncF64S: Call(F64, I64, Members.StaticMethod(typeof(Numerics), nameof(Numerics.I64TruncS), typeof(double))); break;
            case Opcode.I64TruncF64U: Call(F64, I64, Members.Numeric(nameof(Numerics.I64TruncU))); break;
            case Opcode.F32ConvertI32S: Op(I32, F32, OpCodes.Conv_R4); break;
            case Opcode.F32ConvertI32U: Call(I32, F32, Members.Numeric(nameof(Numerics.F32ConvertU32))); break;
            case Opcode.F32ConvertI64S: Call(I64, F32, Members.Numeric(nameof(Numerics.F32ConvertI64))); break;
            case Opcode.F32ConvertI64U: Call(I64, F32, Members.Numeric(nameof(Numerics.F32ConvertU64))); break;
            case Opcode.F32DemoteF64: Op(F64, F32, OpCodes.Conv_R4); break;
            case Opcode.F64ConvertI32S: Op(I32, F64, OpCodes.Conv_R8); break;
            case Opcode.F64ConvertI32U: Call(I32, F64, Members.Numeric(nameof(Numerics.F64ConvertU32))); break;
            case Opcode.F64ConvertI64S: Op(I64, F64, OpCodes.Conv_R8); break;
            case Opcode.F64ConvertI64U: Call(I64, F64, Members.Numeric(nameof(Numerics.F64ConvertU64))); break;
            case Opcode.F64PromoteF32: Op(F32, F64, OpCodes.Conv_R8); break;
            case Opcode.I32ReinterpretF32: Call(F32, I32, Members.StaticMethod(typeof(BitConverter), nameof(BitConverter.SingleToInt32Bits), typeof(float))); break;
            case Opcode.I64ReinterpretF64: Call(F64, I64, Members.StaticMethod(typeof(BitConverter), nameof(BitConverter.DoubleToInt64Bits), typeof(double))); break;
            // Through an opaque call: in Release RyuJIT folds the bit cast of an i32 narrow load
            // (ldind.u1/i1/u2/i2, directly or through a local) into a 32-bit float load, reading
            // the bytes past the narrow load's (fuzz seed 20266961). The i64 loads widen with a
            // conv first and are not affected.
            case Opcode.F32ReinterpretI32: Call(I32, F32, Members.StaticMethod(typeof(Numerics), nameof(Numerics.F32FromBits), typeof(int))); break;
            case Opcode.F64ReinterpretI64: Call(I64, F64, Members.StaticMethod(typeof(BitConverter), nameof(BitConverter.Int64BitsToDouble), typeof(long))); break;

            // Sign extension (Spec 4.3.2 iextendN_s).
            case Opcode.I32Extend8S: Op(I32, I32, OpCodes.Conv_I1); break;
            case Opcode.I32Extend16S: Op(I32, I32, OpCodes.Conv_I2); break;
            case Opcode.I64Extend8S: Op(I64, I64, OpCodes.Conv_I1, OpCodes.Conv_I8); break;
            case Opcode.I64Extend16S: Op(I64, I64, OpCodes.Conv_I2, OpCodes.Conv_I8); break;
            case Opcode.I64Extend32S: Op(I64, I64, OpCodes.Conv_I4, OpCodes.Conv_I8); break;
            default: throw new NotSupportedException($"numeric opcode 0x{(byte)opcode:x2}");
        }
    }

    private void EmitSaturatingTruncation(MiscOpcode opcode)
    {
        var (from, to, helper) = opcode switch
        {
            MiscOpcode.I32TruncSatF32S => (F32, I32, nameof(Numerics.I32TruncSatS)),
            MiscOpcode.I32TruncSatF32U => (F32, I32, nameof(Numerics.I32TruncSatU)),
            MiscOpcode.I32TruncSatF64S => (F64, I32, nameof(Numerics.I32TruncSatS)),
            MiscOpcode.I32TruncSatF64U => (F64, I32, nameof(Numerics.I32TruncSatU)),
            MiscOpcode.I64TruncSatF32S => (F32, I64, nameof(Numerics.I64TruncSatS)),
            MiscOpcode.I64TruncSatF32U => (F32, I64, nameof(Numerics.I64TruncSatU)),
            MiscOpcode.I64TruncSatF64S => (F64, I64, nameof(Numerics.I64TruncSatS)),
            _ => (F64, I64, nameof(Numerics.I64TruncSatU)),
        };
        if (from == F32) il.Emit(OpCodes.Conv_R8); // exact: every f32 is a double
        Call(from, to, Members.Numeric(helper));
    }

    // f32.reinterpret_i32 of a constant NaN pattern is an f32.const: RyuJIT would fold
    // BitConverter.Int32BitsToSingle(constant) into a float constant, which it keeps as a double,
    // and the float -> double -> float round trip quiets a signalling NaN (0x7f800001 became
    // 0x7fc00001, issue 12). Spec 4.3.1: reinterpret keeps every bit. The pair is emitted as
    // EmitF32Const emits a NaN: through an opaque call.
    private void EmitI32Const(int value, ref WasmReader reader)
    {
        if (!reader.IsAtEnd && (Opcode)reader.PeekByte() == Opcode.F32ReinterpretI32 && float.IsNaN(BitConverter.Int32BitsToSingle(value)))
        {
            reader.ReadByte();
            EmitF32Const((uint)value);
            return;
        }
        il.Emit(OpCodes.Ldc_I4, value);
        Push(I32);
    }

    // A NaN constant goes through an opaque call so its payload is not quieted (see Numerics.F32FromBits).
    // A fold-prone constant is read from a mutable static (see FoldProneConstant).
    private void EmitF32Const(uint bits)
    {
        var value = BitConverter.UInt32BitsToSingle(bits);
        if (float.IsNaN(value))
        {
            il.Emit(OpCodes.Ldc_I4, (int)bits);
            EmitHelperCall(Members.Numeric(nameof(Numerics.F32FromBits)));
        }
        else if (FoldProneConstant(value) is { } name)
        {
            EmitField(OpCodes.Ldsfld, Members.StaticField(typeof(Numerics), "F32" + name));
        }
        else
        {
            il.Emit(OpCodes.Ldc_R4, value);
        }
        Push(F32);
    }

    private void EmitF64Const(ulong bits)
    {
        var value = BitConverter.UInt64BitsToDouble(bits);
        if (double.IsNaN(value))
        {
            il.Emit(OpCodes.Ldc_I8, (long)bits);
            EmitHelperCall(Members.Numeric(nameof(Numerics.F64FromBits)));
        }
        else if (FoldProneConstant(value) is { } name)
        {
            EmitField(OpCodes.Ldsfld, Members.StaticField(typeof(Numerics), "F64" + name));
        }
        else
        {
            il.Emit(OpCodes.Ldc_R8, value);
        }
        Push(F64);
    }

    private static string? FoldProneConstant(double value) => BitConverter.DoubleToInt64Bits(value) switch
    {
        0 => nameof(Numerics.F64Zero)[3..],
        long.MinValue => nameof(Numerics.F64NegativeZero)[3..],
        _ when value == 1 => nameof(Numerics.F64One)[3..],
        _ when value == -1 => nameof(Numerics.F64NegativeOne)[3..],
        _ => null,
    };

    // RyuJIT folds x - 0, x * 1, x / 1 and demote(promote(x)) to x, which is wrong for a
    // signalling NaN x: Wasm must return a quiet (arithmetic) NaN (Spec 4.3.3, float_exprs.wast
    // no_fold_*). Every such constant is loaded opaquely, wherever it goes: through a local or a
    // splat it reaches arithmetic as surely as directly (fuzz seeds 20265730, 20262930). A load
    // costs what the JIT's own constant would (float constants live in memory too). So is a
    // promote feeding a demote.
    private void EmitPromote(WasmReader reader)
    {
        if (!reader.IsAtEnd && (Opcode)reader.PeekByte() == Opcode.F32DemoteF64)
        {
            Call(F32, F64, Members.Numeric(nameof(Numerics.OpaquePromote)));
            return;
        }
        Op(F32, F64, OpCodes.Conv_R8);
    }

    private void Compare(ValueType operand, OpCode compare, bool negate = false)
    {
        Pop();
        Pop();
        il.Emit(compare);
        if (negate)
        {
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Ceq);
        }
        Push(I32);
    }

    private void Binary(ValueType operand, OpCode opcode)
    {
        Pop();
        il.Emit(opcode);
    }

    private void BinaryCall(ValueType operand, string helper)
    {
        Pop();
        EmitHelperCall(Members.Numeric(helper));
    }

    // Wasm shifts take the count modulo the width (Spec 4.3.2 ishl); IL leaves larger counts unspecified.
    private void Shift(ValueType operand, OpCode shift)
    {
        Pop();
        if (operand == I64) il.Emit(OpCodes.Conv_I4);
        il.Emit(OpCodes.Ldc_I4, operand == I64 ? 63 : 31);
        il.Emit(OpCodes.And);
        il.Emit(shift);
    }

    // The rotate's result is or-ed with a zero the JIT cannot see (a mutable static): .NET 10's
    // x64 JIT drops the test of a rotate's result against zero when the count is a constant, as
    // for shifts, but ROL/ROR leave ZF and SF as they were, so the branch read a stale flag
    // (dotnet/runtime#129288, fixed after 10.0; fuzz seed 812: `if (i32.rotr x 31)` was taken for
    // x = 0). The or sets the flags from the result, and keeps ror's immediate form.
    private void Rotate(ValueType operand, string name)
    {
        Pop();
        if (operand == I64) il.Emit(OpCodes.Conv_I4);
        EmitHelperCall(Members.Bits(name, operand == I64 ? typeof(ulong) : typeof(uint), typeof(int)));
        EmitField(OpCodes.Ldsfld, Members.StaticField(typeof(Numerics), operand == I64 ? nameof(Numerics.I64Zero) : nameof(Numerics.I32Zero)));
        il.Emit(OpCodes.Or);
    }

    /// <summary>A one-operand instruction made of operand-free IL opcodes.</summary>
    private void Op(ValueType from, ValueType to, params OpCode[] opcodes)
    {
        Pop();
        foreach (var opcode in opcodes) il.Emit(opcode);
        Push(to);
    }

    private void Op(ValueType from, ValueType to, OpCode before, System.Reflection.MethodInfo helper)
    {
        il.Emit(before);
        Call(from, to, helper);
    }

    private void Call(ValueType from, ValueType to, System.Reflection.MethodInfo method, OpCode? after = null)
    {
        Pop();
        EmitHelperCall(method);
        if (after is { } conversion) il.Emit(conversion);
        Push(to);
    }
}

using System.Reflection.Emit;
using Sandbox.Engine.Binary;
using Sandbox.Engine.Runtime;

namespace Sandbox.Engine.Compilation;

// Memory, global, table and bulk instructions (Spec 4.4.5-4.4.7).
internal sealed partial class FunctionCompiler
{
    // Spec 4.4.7.1 t.load: effective address ea = (u64)i + offset; trap if ea + width > length.
    // Both terms are below 2^32, so the u64 sum cannot overflow. The base is cached at entry: it
    // never moves. The length is cached too and reloaded after anything that may grow the memory.
    private void EmitLoad(Opcode opcode, uint offset)
    {
        var (width, result) = opcode switch
        {
            Opcode.I32Load => (4, I32),
            Opcode.I64Load => (8, I64),
            Opcode.F32Load => (4, F32),
            Opcode.F64Load => (8, F64),
            Opcode.I32Load8S or Opcode.I32Load8U => (1, I32),
            Opcode.I32Load16S or Opcode.I32Load16U => (2, I32),
            Opcode.I64Load8S or Opcode.I64Load8U => (1, I64),
            Opcode.I64Load16S or Opcode.I64Load16U => (2, I64),
            _ => (4, I64),
        };
        Pop();
        EmitEffectiveAddress(offset, width);
        il.Emit(OpCodes.Unaligned, (byte)1);
        switch (opcode)
        {
            case Opcode.I32Load: il.Emit(OpCodes.Ldind_I4); break;
            case Opcode.I64Load: il.Emit(OpCodes.Ldind_I8); break;
            case Opcode.F32Load: il.Emit(OpCodes.Ldind_R4); break;
            case Opcode.F64Load: il.Emit(OpCodes.Ldind_R8); break;
            case Opcode.I32Load8S: il.Emit(OpCodes.Ldind_I1); break;
            case Opcode.I32Load8U: il.Emit(OpCodes.Ldind_U1); break;
            case Opcode.I32Load16S: il.Emit(OpCodes.Ldind_I2); break;
            case Opcode.I32Load16U: il.Emit(OpCodes.Ldind_U2); break;
            case Opcode.I64Load8S: il.Emit(OpCodes.Ldind_I1); il.Emit(OpCodes.Conv_I8); break;
            case Opcode.I64Load8U: il.Emit(OpCodes.Ldind_U1); il.Emit(OpCodes.Conv_U8); break;
            case Opcode.I64Load16S: il.Emit(OpCodes.Ldind_I2); il.Emit(OpCodes.Conv_I8); break;
            case Opcode.I64Load16U: il.Emit(OpCodes.Ldind_U2); il.Emit(OpCodes.Conv_U8); break;
            case Opcode.I64Load32S: il.Emit(OpCodes.Ldind_I4); il.Emit(OpCodes.Conv_I8); break;
            default: il.Emit(OpCodes.Ldind_U4); il.Emit(OpCodes.Conv_U8); break;
        }
        Push(result);
    }

    // Spec 4.4.7.2 t.store: the value is set aside while the address is checked.
    private void EmitStore(Opcode opcode, uint offset)
    {
        var valueType = Pop();
        Pop();
        var width = opcode switch
        {
            Opcode.I32Store or Opcode.F32Store or Opcode.I64Store32 => 4,
            Opcode.I64Store or Opcode.F64Store => 8,
            Opcode.I32Store8 or Opcode.I64Store8 => 1,
            _ => 2,
        };
        var value = RentTemporary(ClrSignature.ClrType(valueType));
        il.Emit(OpCodes.Stloc, value);
        EmitEffectiveAddress(offset, width);
        il.Emit(OpCodes.Ldloc, value);
        if (valueType == I64 && width < 8) il.Emit(OpCodes.Conv_I4);
        il.Emit(OpCodes.Unaligned, (byte)1);
        il.Emit(opcode switch
        {
            Opcode.I32Store or Opcode.I64Store32 => OpCodes.Stind_I4,
            Opcode.I64Store => OpCodes.Stind_I8,
            Opcode.F32Store => OpCodes.Stind_R4,
            Opcode.F64Store => OpCodes.Stind_R8,
            Opcode.I32Store8 or Opcode.I64Store8 => OpCodes.Stind_I1,
            _ => OpCodes.Stind_I2,
        });
        ReturnTemporary(value);
    }

    /// <summary>i32 address on the stack -> checked native pointer base + ea + offset on the stack.</summary>
    private void EmitEffectiveAddress(uint offset, int width)
    {
        var inBounds = il.DefineLabel();
        il.Emit(OpCodes.Conv_U8);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Ldc_I8, (long)offset + width);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Ldloc, LengthLocal);
        il.Emit(OpCodes.Ble_Un, inBounds);
        EmitTrap(TrapCode.MemoryOutOfBounds);
        il.MarkLabel(inBounds);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Ldloc, BaseLocal);
        il.Emit(OpCodes.Add);
        if (offset != 0)
        {
            il.Emit(OpCodes.Ldc_I8, (long)offset);
            il.Emit(OpCodes.Conv_U);
            il.Emit(OpCodes.Add);
        }
    }

    private void EmitMemorySizeOrGrow(Opcode opcode)
    {
        if (opcode == Opcode.MemorySize)
        {
            // Spec 4.4.7.3 memory.size: the length in pages of this memory's page size.
            il.Emit(OpCodes.Ldloc, LengthLocal);
            il.Emit(OpCodes.Ldc_I4, module.MemoryTypes[0].PageSizeLog2);
            il.Emit(OpCodes.Shr_Un);
            il.Emit(OpCodes.Conv_I4);
            Push(I32);
            return;
        }
        Pop();
        il.Emit(OpCodes.Ldloc, MemoryLocal);
        EmitHelperCall(Members.Instruction(nameof(Instructions.MemoryGrow)));
        EmitRefreshLength();
        Push(I32);
    }

    // --- Globals: numbers live in Global.Bits (f32/i32 in the low half, read in place), references in Global.Reference ---

    /// <summary>
    /// Objects a function caches in locals at entry (<see cref="EmitCacheBlock"/>): past this many,
    /// further globals and tables are loaded from the instance where used, so that a function naming
    /// 60,000 globals stays within the 65,535 locals of an IL method (with its 50,000 Wasm locals).
    /// </summary>
    private const int MaxCachedObjects = 1024;

    private bool CanCacheObject => cachedGlobals.Count + cachedTables.Count < MaxCachedObjects;

    private void EmitLoadGlobal(uint index)
    {
        if (!cachedGlobals.TryGetValue(index, out var local) && CanCacheObject) cachedGlobals[index] = local = il.DeclareLocal(typeof(Global));
        if (local is not null) il.Emit(OpCodes.Ldloc, local);
        else EmitLoadElement(Members.InstanceGlobals, index);
    }

    private void EmitLoadElement(System.Reflection.FieldInfo array, uint index)
    {
        il.Emit(OpCodes.Ldarg, contextArgument);
        EmitField(OpCodes.Ldfld, array);
        il.Emit(OpCodes.Ldc_I4, (int)index);
        il.Emit(OpCodes.Ldelem_Ref);
    }

    private void EmitGlobalGet(uint index)
    {
        var valueType = module.GlobalTypes[index].ValueType;
        if (valueType == V128)
        {
            EmitGlobalGetVector(index);
            return;
        }
        EmitLoadGlobal(index);
        switch (valueType)
        {
            case I32: EmitField(OpCodes.Ldfld, Members.GlobalBits); il.Emit(OpCodes.Conv_I4); break;
            case I64: EmitField(OpCodes.Ldfld, Members.GlobalBits); break;
            case F32: EmitField(OpCodes.Ldflda, Members.GlobalBits); il.Emit(OpCodes.Ldind_R4); break;
            case F64: EmitField(OpCodes.Ldflda, Members.GlobalBits); il.Emit(OpCodes.Ldind_R8); break;
            default: EmitField(OpCodes.Ldfld, Members.GlobalReference); break;
        }
        Push(valueType);
    }

    private void EmitGlobalSet(uint index)
    {
        if (module.GlobalTypes[index].ValueType == V128)
        {
            EmitGlobalSetVector(index);
            return;
        }
        var valueType = Pop();
        var value = RentTemporary(ClrSignature.ClrType(valueType));
        il.Emit(OpCodes.Stloc, value);
        EmitLoadGlobal(index);
        switch (valueType)
        {
            case I32:
                il.Emit(OpCodes.Ldloc, value);
                il.Emit(OpCodes.Conv_U8);
                EmitField(OpCodes.Stfld, Members.GlobalBits);
                break;
            case I64:
                il.Emit(OpCodes.Ldloc, value);
                EmitField(OpCodes.Stfld, Members.GlobalBits);
                break;
            case F32:
            case F64:
                EmitField(OpCodes.Ldflda, Members.GlobalBits);
                il.Emit(OpCodes.Ldloc, value);
                il.Emit(valueType == F32 ? OpCodes.Stind_R4 : OpCodes.Stind_R8);
                break;
            default:
                il.Emit(OpCodes.Ldloc, value);
                EmitField(OpCodes.Stfld, Members.GlobalReference);
                break;
        }
        ReturnTemporary(value);
    }

    // --- Tables (Spec 4.4.6) ---

    private void EmitLoadTable(uint index)
    {
        if (!cachedTables.TryGetValue(index, out var local) && CanCacheObject) cachedTables[index] = local = il.DeclareLocal(typeof(Table));
        if (local is not null) il.Emit(OpCodes.Ldloc, local);
        else EmitLoadElement(Members.InstanceTables, index);
    }

    private void EmitTableAccess(Opcode opcode, uint table)
    {
        EmitLoadTable(table);
        if (opcode == Opcode.TableGet)
        {
            Pop();
            EmitHelperCall(Members.Instruction(nameof(Instructions.TableGet)));
            Push(module.TableTypes[table].ElementType);
        }
        else
        {
            Pop();
            Pop();
            EmitHelperCall(Members.Instruction(nameof(Instructions.TableSet)));
        }
    }

    private void EmitMisc(MiscOpcode opcode, ref WasmReader reader)
    {
        switch (opcode)
        {
            case <= MiscOpcode.I64TruncSatF64U:
                EmitSaturatingTruncation(opcode);
                break;
            case MiscOpcode.MemoryInit:
            {
                var segment = reader.ReadU32();
                reader.ReadZeroByte();
                CallWithContext(nameof(Instructions.MemoryInit), 3, (int)segment);
                break;
            }
            case MiscOpcode.DataDrop:
                CallWithContext(nameof(Instructions.DataDrop), 0, (int)reader.ReadU32());
                break;
            case MiscOpcode.MemoryCopy:
                reader.ReadZeroByte();
                reader.ReadZeroByte();
                CallWithMemory(nameof(Instructions.MemoryCopy));
                break;
            case MiscOpcode.MemoryFill:
                reader.ReadZeroByte();
                CallWithMemory(nameof(Instructions.MemoryFill));
                break;
            case MiscOpcode.TableInit:
            {
                var segment = reader.ReadU32();
                var table = reader.ReadU32();
                CallWithContext(nameof(Instructions.TableInit), 3, (int)table, (int)segment);
                break;
            }
            case MiscOpcode.ElemDrop:
                CallWithContext(nameof(Instructions.ElemDrop), 0, (int)reader.ReadU32());
                break;
            case MiscOpcode.TableCopy:
            {
                var destination = reader.ReadU32();
                var source = reader.ReadU32();
                Truncate(stack.Count - 3);
                EmitLoadTable(destination);
                EmitLoadTable(source);
                EmitHelperCall(Members.Instruction(nameof(Instructions.TableCopy)));
                break;
            }
            case MiscOpcode.TableGrow:
                Truncate(stack.Count - 2);
                EmitLoadTable(reader.ReadU32());
                EmitHelperCall(Members.Instruction(nameof(Instructions.TableGrow)));
                Push(I32);
                break;
            case MiscOpcode.TableSize:
                EmitLoadTable(reader.ReadU32());
                EmitField(OpCodes.Ldfld, Members.TableElements);
                il.Emit(OpCodes.Ldlen);
                il.Emit(OpCodes.Conv_I4);
                Push(I32);
                break;
            case MiscOpcode.TableFill:
                Truncate(stack.Count - 3);
                EmitLoadTable(reader.ReadU32());
                EmitHelperCall(Members.Instruction(nameof(Instructions.TableFill)));
                break;
            default:
                throw new NotSupportedException($"instruction 0xfc {(uint)opcode} is not supported");
        }
    }

    /// <summary>Calls an <see cref="Instructions"/> helper taking <paramref name="operands"/> stack values, the instance and constants.</summary>
    private void CallWithContext(string helper, int operands, params int[] constants)
    {
        Truncate(stack.Count - operands);
        il.Emit(OpCodes.Ldarg, contextArgument);
        foreach (var constant in constants) il.Emit(OpCodes.Ldc_I4, constant);
        EmitHelperCall(Members.Instruction(helper));
    }

    private void CallWithMemory(string helper)
    {
        Truncate(stack.Count - 3);
        il.Emit(OpCodes.Ldloc, MemoryLocal);
        EmitHelperCall(Members.Instruction(helper));
    }
}

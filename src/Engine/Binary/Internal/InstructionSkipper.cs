namespace Sandbox.Engine.Binary.Internal;

/// <summary>
/// Skips over instructions to find where a constant expression ends (Spec 5.4.9: an expression
/// is instructions up to the <c>end</c> that closes it). The decoder needs the end before the
/// validator can say whether the instructions are constant, so any instruction is skipped here
/// with its immediates; blocks nest.
/// </summary>
internal static class InstructionSkipper
{
    /// <summary>Reads up to and including the <c>end</c> that closes the expression.</summary>
    public static void SkipExpression(ref WasmReader reader)
    {
        var depth = 0;
        while (true)
        {
            var start = reader.Offset;
            var opcode = (Opcode)reader.ReadByte();
            if (opcode == Opcode.End)
            {
                if (depth-- == 0) return;
                continue;
            }
            if (opcode is Opcode.Block or Opcode.Loop or Opcode.If) depth++;
            SkipImmediates(opcode, ref reader, start);
        }
    }

    /// <summary>
    /// Reads the immediates of one instruction whose opcode byte, at <paramref name="start"/>, was
    /// just read. The one table of immediate shapes, shared by the decoder (constant expressions)
    /// and the compiler (code after <c>unreachable</c> or a branch, which it skips unemitted).
    /// </summary>
    public static void SkipImmediates(Opcode opcode, ref WasmReader reader, long start)
    {
        switch (opcode)
        {
            case Opcode.Block or Opcode.Loop or Opcode.If:
                reader.ReadS33();
                break;
            case Opcode.Unreachable or Opcode.Nop or Opcode.Else or Opcode.End or Opcode.Return or Opcode.Drop
                or Opcode.Select or Opcode.RefIsNull:
                break;
            case Opcode.Br or Opcode.BrIf or Opcode.Call or Opcode.RefFunc or Opcode.LocalGet or Opcode.LocalSet
                or Opcode.LocalTee or Opcode.GlobalGet or Opcode.GlobalSet or Opcode.TableGet or Opcode.TableSet:
                reader.ReadU32();
                break;
            case Opcode.BrTable:
                var count = reader.ReadU32();
                for (var i = 0u; i <= count; i++) reader.ReadU32();
                break;
            case Opcode.CallIndirect:
                reader.ReadU32();
                reader.ReadU32();
                break;
            case Opcode.RefNull:
                reader.ReadReferenceType();
                break;
            case Opcode.SelectTyped:
                var types = reader.ReadU32();
                for (var i = 0u; i < types; i++) reader.ReadValueType();
                break;
            case >= Opcode.I32Load and <= Opcode.I64Store32:
                reader.ReadU32();
                reader.ReadU32();
                break;
            case Opcode.MemorySize or Opcode.MemoryGrow:
                reader.ReadZeroByte();
                break;
            case Opcode.I32Const:
                reader.ReadS32();
                break;
            case Opcode.I64Const:
                reader.ReadS64();
                break;
            case Opcode.F32Const:
                reader.Skip(4);
                break;
            case Opcode.F64Const:
                reader.Skip(8);
                break;
            case >= Opcode.I32Eqz and <= Opcode.I64Extend32S:
                break;
            case Opcode.PrefixMisc:
                SkipMisc(ref reader, start);
                break;
            case Opcode.PrefixAtomic:
                // atomic.fence has one zero byte; every other atomic instruction a memarg.
                if ((AtomicOpcode)reader.ReadU32() == AtomicOpcode.AtomicFence)
                {
                    reader.ReadZeroByte();
                }
                else
                {
                    reader.ReadU32();
                    reader.ReadU32();
                }
                break;
            case Opcode.PrefixSimd:
                SkipSimd(ref reader, start);
                break;
            default:
                WasmReader.ThrowDecode($"illegal opcode {(byte)opcode:x2}", start);
                break;
        }
    }

    private static void SkipMisc(ref WasmReader reader, long start)
    {
        var sub = (MiscOpcode)reader.ReadU32();
        switch (sub)
        {
            case <= MiscOpcode.I64TruncSatF64U:
                break;
            case MiscOpcode.MemoryInit or MiscOpcode.TableInit or MiscOpcode.TableCopy:
                reader.ReadU32();
                reader.ReadU32();
                break;
            case MiscOpcode.DataDrop or MiscOpcode.ElemDrop or MiscOpcode.TableGrow or MiscOpcode.TableSize
                or MiscOpcode.TableFill or MiscOpcode.MemoryFill:
                reader.ReadU32();
                break;
            case MiscOpcode.MemoryCopy:
                reader.ReadU32();
                reader.ReadU32();
                break;
            default:
                WasmReader.ThrowDecode($"illegal opcode fc {(uint)sub:x}", start);
                break;
        }
    }

    private static void SkipSimd(ref WasmReader reader, long start)
    {
        var sub = reader.ReadU32();
        if (!SimdTable.TryGet(sub, out var instruction)) WasmReader.ThrowDecode($"illegal opcode fd {sub:x}", start);
        SimdImmediates.Read(instruction, ref reader);
    }
}

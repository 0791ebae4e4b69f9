using System.Reflection.Emit;
using Sandbox.Engine.Binary;
using Sandbox.Engine.Runtime;

namespace Sandbox.Engine.Compilation;

// Threads proposal atomics (0xFE prefix): calls to Runtime.Atomics, whose helpers take the Wasm
// operands in order, then the memarg offset and the memory (and the operator or width). The
// 32-bit helpers serve the i64 forms that access fewer bytes: value narrowed, result zero-extended.
internal sealed partial class FunctionCompiler
{
    private void EmitAtomic(AtomicOpcode opcode, ref WasmReader reader)
    {
        EmitAtomicOperation(opcode, ref reader);
        // An atomic operation synchronises with other threads (threads Overview, "memory model"),
        // after which their growth of a shared memory must be visible: reload the cached length,
        // which otherwise only changes after calls and memory.grow in this thread.
        if (module.MemoryTypes.Length > 0 && module.MemoryTypes[0].Shared) EmitRefreshLength();
    }

    private void EmitAtomicOperation(AtomicOpcode opcode, ref WasmReader reader)
    {
        if (opcode == AtomicOpcode.AtomicFence)
        {
            reader.ReadByte(); // reserved zero byte
            EmitHelperCall(Members.Method(typeof(Atomics), nameof(Atomics.Fence)));
            return;
        }
        reader.ReadU32(); // alignment: validated to equal the access width
        var offset = reader.ReadU32();
        var code = (uint)opcode;
        switch (opcode)
        {
            case AtomicOpcode.MemoryAtomicNotify:
                AtomicCall(nameof(Atomics.Notify), offset, operands: 2, result: I32);
                return;
            case AtomicOpcode.MemoryAtomicWait32:
                AtomicCall(nameof(Atomics.Wait32), offset, operands: 3, result: I32);
                return;
            case AtomicOpcode.MemoryAtomicWait64:
                AtomicCall(nameof(Atomics.Wait64), offset, operands: 3, result: I32);
                return;
            case >= AtomicOpcode.I32AtomicLoad and <= AtomicOpcode.I64AtomicLoad32U:
            {
                var (type, width) = Shape(code - (uint)AtomicOpcode.I32AtomicLoad);
                AtomicCall("Load" + width * 8, offset, operands: 1, result: type, widenResult: type == I64 && width < 8);
                return;
            }
            case >= AtomicOpcode.I32AtomicStore and <= AtomicOpcode.I64AtomicStore32:
            {
                var (type, width) = Shape(code - (uint)AtomicOpcode.I32AtomicStore);
                if (type == I64 && width < 8) il.Emit(OpCodes.Conv_I4);
                AtomicCall("Store" + width * 8, offset, operands: 2, result: null);
                return;
            }
            case >= AtomicOpcode.I32AtomicRmwAdd and <= AtomicOpcode.I64AtomicRmw32XchgU:
            {
                var index = code - (uint)AtomicOpcode.I32AtomicRmwAdd;
                var (type, width) = Shape(index % 7);
                var narrowed = type == I64 && width < 8;
                if (narrowed) il.Emit(OpCodes.Conv_I4);
                AtomicCall("Rmw" + width * 8, offset, operands: 2, result: type, widenResult: narrowed, constant: (int)(AtomicRmwOp)(index / 7));
                return;
            }
            default:
            {
                var (type, width) = Shape(code - (uint)AtomicOpcode.I32AtomicRmwCmpxchg);
                if (type == I32 || width == 8) AtomicCall("Cmpxchg" + width * 8, offset, operands: 3, result: type);
                else if (width == 4) AtomicCall(nameof(Atomics.Cmpxchg32Wide), offset, operands: 3, result: type);
                else AtomicCall(nameof(Atomics.CmpxchgNarrowWide), offset, operands: 3, result: type, constant: width);
                return;
            }
        }
    }

    // The seven forms of each group, in opcode order: i32, i64, i32 8, i32 16, i64 8, i64 16, i64 32.
    private static (ValueType Type, int Width) Shape(uint index) => index switch
    {
        0 => (I32, 4),
        1 => (I64, 8),
        2 => (I32, 1),
        3 => (I32, 2),
        4 => (I64, 1),
        5 => (I64, 2),
        _ => (I64, 4),
    };

    /// <summary>Calls an <see cref="Atomics"/> helper on the operands already on the stack, then offset, memory and a constant.</summary>
    private void AtomicCall(string helper, uint offset, int operands, ValueType? result, bool widenResult = false, int? constant = null)
    {
        Truncate(stack.Count - operands);
        il.Emit(OpCodes.Ldc_I4, (int)offset);
        il.Emit(OpCodes.Ldloc, MemoryLocal);
        if (constant is { } value) il.Emit(OpCodes.Ldc_I4, value);
        EmitHelperCall(Members.Method(typeof(Atomics), helper));
        if (widenResult) il.Emit(OpCodes.Conv_U8);
        if (result is { } type) Push(type);
    }
}

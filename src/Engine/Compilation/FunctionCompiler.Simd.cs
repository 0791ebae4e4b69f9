using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using Sandbox.Engine.Binary;
using Sandbox.Engine.Binary.Internal;
using Sandbox.Engine.Runtime;

namespace Sandbox.Engine.Compilation;

// SIMD (0xFD prefix): each instruction is a call to the Runtime.Simd method of its SimdOpcode name
// (AggressiveInlining, so RyuJIT emits the vector instructions in place), after the operands its
// SimdTable shape says: memory instructions get the checked address first, lane instructions the
// lane index as a constant, v128.const and i8x16.shuffle their 16 bytes as two i64 constants.
internal sealed partial class FunctionCompiler
{
    private const ValueType V128 = ValueType.V128;

    /// <summary>The Runtime.Simd method of each sub-opcode, looked up once, on the first SIMD instruction a process compiles.</summary>
    private static class SimdHelpers
    {
        public static readonly MethodInfo?[] ByOpcode = Build();

        private static MethodInfo?[] Build()
        {
            var helpers = new MethodInfo?[SimdTable.Size];
            foreach (var instruction in SimdTable.All)
            {
                helpers[(uint)instruction.Opcode] = typeof(Simd).GetMethod(instruction.Opcode.ToString(), BindingFlags.Public | BindingFlags.Static)
                    ?? throw new InvalidOperationException($"no Simd.{instruction.Opcode} helper");
            }
            return helpers;
        }
    }

    private void EmitSimd(ref WasmReader reader)
    {
        var start = reader.Offset - 1;
        var code = reader.ReadU32();
        if (!SimdTable.TryGet(code, out var instruction)) throw new NotSupportedException($"SIMD instruction 0xfd {code} at offset 0x{start:x} is not supported");
        var immediates = SimdImmediates.Read(instruction, ref reader);
        var helper = SimdHelpers.ByOpcode[code]!;
        switch (instruction.Shape)
        {
            case SimdShape.Const when Simd.FoldProneConstant(immediates.Low, immediates.High) is { } name:
                // RyuJIT folds x - 0, x + -0, x * 1, x / 1 of vectors to x, which is wrong for a
                // signalling NaN lane (Spec 4.3.3: the result is an arithmetic NaN; see
                // FoldProneConstant): these splats are read from a mutable static instead.
                EmitField(OpCodes.Ldsfld, Members.StaticField(typeof(Simd), name));
                Push(V128);
                return;
            case SimdShape.Const:
                il.Emit(OpCodes.Ldc_I8, (long)immediates.Low);
                il.Emit(OpCodes.Ldc_I8, (long)immediates.High);
                EmitHelperCall(helper);
                Push(V128);
                return;
            case SimdShape.Load:
                Pop();
                EmitEffectiveAddress(immediates.Offset, instruction.Width);
                EmitHelperCall(helper);
                Push(V128);
                return;
            case SimdShape.Store or SimdShape.LoadLane or SimdShape.StoreLane:
            {
                // [address, v]: v is set aside while the address is checked.
                Pop();
                Pop();
                var value = RentTemporary(typeof(Vector128<byte>));
                il.Emit(OpCodes.Stloc, value);
                EmitEffectiveAddress(immediates.Offset, instruction.Width);
                il.Emit(OpCodes.Ldloc, value);
                ReturnTemporary(value);
                if (instruction.Shape != SimdShape.Store) il.Emit(OpCodes.Ldc_I4, (int)immediates.Lane);
                EmitHelperCall(helper);
                if (instruction.Shape == SimdShape.LoadLane) Push(V128);
                return;
            }
        }
        var (operands, result) = SimdStackEffect(instruction);
        Truncate(stack.Count - operands);
        if (instruction.Immediate == SimdImmediate.Lane) il.Emit(OpCodes.Ldc_I4, (int)immediates.Lane);
        if (instruction.Immediate == SimdImmediate.Shuffle)
        {
            il.Emit(OpCodes.Ldc_I8, (long)immediates.Low);
            il.Emit(OpCodes.Ldc_I8, (long)immediates.High);
        }
        EmitHelperCall(helper);
        Push(result);
    }

    private static (int Operands, ValueType Result) SimdStackEffect(in SimdInstruction instruction) => instruction.Shape switch
    {
        SimdShape.Unary => (1, V128),
        SimdShape.Binary => (2, V128),
        SimdShape.Ternary => (3, V128),
        SimdShape.Test => (1, ValueType.I32),
        SimdShape.Shift => (2, V128),
        SimdShape.Splat => (1, V128),
        SimdShape.ExtractLane => (1, instruction.Scalar),
        _ => (2, V128), // ReplaceLane
    };

    // --- v128 globals: Global.Vector ---

    private void EmitGlobalGetVector(uint index)
    {
        EmitLoadGlobal(index);
        EmitField(OpCodes.Ldfld, Members.GlobalVector);
        Push(V128);
    }

    private void EmitGlobalSetVector(uint index)
    {
        Pop();
        var value = RentTemporary(typeof(Vector128<byte>));
        il.Emit(OpCodes.Stloc, value);
        EmitLoadGlobal(index);
        il.Emit(OpCodes.Ldloc, value);
        EmitField(OpCodes.Stfld, Members.GlobalVector);
        ReturnTemporary(value);
    }
}

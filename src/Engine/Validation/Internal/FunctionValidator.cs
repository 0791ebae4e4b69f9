using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Sandbox.Engine.Binary;
using Sandbox.Engine.Binary.Internal;

namespace Sandbox.Engine.Validation.Internal;

/// <summary>
/// Validates one function body with the algorithm of Spec Appendix 7.3 (operand stack plus
/// control stack; the operand stack turns polymorphic after an unconditional branch). Decodes the
/// instructions in the same pass: encoding faults become <see cref="DecodeException"/>, typing
/// faults <see cref="ValidationException"/>. Linear in the body size; the stacks are reused
/// between functions so a module's validation allocates little.
/// </summary>
internal sealed class FunctionValidator(ModuleContext context, WasmFeatures features, int splitCost)
{
    private ValueType[] operands = new ValueType[64];
    private int operandCount;
    private int maxOperandCount;
    private ControlFrame[] frames = new ControlFrame[16];
    private int frameCount;
    private ValueType[] scratch = new ValueType[16];

    // Locals: the parameters, then runs of declared locals; localEnds[i] is one past run i's last index.
    private ValueType[] parameters = [];
    private ulong[] localEnds = new ulong[8];
    private ValueType[] localTypes = new ValueType[8];
    private int localRuns;
    private ulong localCount;

    private uint functionIndex;
    private int instructionOffset;

    public void Validate(uint index, FuncType type, FunctionBody body)
    {
        functionIndex = index;
        instructionOffset = body.CodeOffset;
        operandCount = 0;
        maxOperandCount = 0;
        frameCount = 0;
        SetLocals(type, body);

        var reader = new WasmReader(body.Code.Span, body.CodeOffset);
        PushFrame(Opcode.Block, FunctionFrameType(type));
        // Where a body large enough to be split may be cut (Compilation.FunctionSplitter).
        var cuts = Compilation.FunctionSplitter.MightSplit(body.Code.Length, splitCost) ? new List<int>() : null;
        while (frameCount > 0)
        {
            instructionOffset = reader.Offset;
            if (reader.IsAtEnd) WasmReader.ThrowDecode("END opcode expected", instructionOffset);
            if (cuts is not null) RecordCut(cuts, in reader);
            Step(ref reader, (Opcode)reader.ReadByte());
        }
        if (!reader.IsAtEnd) WasmReader.ThrowDecode("operators remaining after end of function", reader.Offset);
        body.MaxOperandDepth = maxOperandCount;
        body.Cuts = cuts?.ToArray();
    }

    // A cut: an instruction boundary where the innermost frame's own operands are none (the
    // instructions from one cut to the next in that frame leave the stack as they found it), or,
    // as ~offset, the end or else of a frame whose rest is unreachable.
    private void RecordCut(List<int> cuts, in WasmReader reader)
    {
        ref readonly var frame = ref frames[frameCount - 1];
        if (!frame.Unreachable)
        {
            if (operandCount == frame.Height) cuts.Add(instructionOffset);
        }
        else if ((Opcode)reader.PeekByte() is Opcode.End or Opcode.Else)
        {
            cuts.Add(~instructionOffset);
        }
    }

    // The outermost frame's label is the function's result type; it has no parameters on the
    // operand stack (they are locals).
    private static FuncType FunctionFrameType(FuncType type) => (type.Parameters.Length, type.Results.Length) switch
    {
        (0, _) => type,
        (_, 0) => FuncType.Empty,
        (_, 1) => Operand.ResultOf(type.Results[0]),
        _ => new FuncType([], type.Results),
    };

    private void SetLocals(FuncType type, FunctionBody body)
    {
        parameters = type.Parameters;
        foreach (var p in parameters) CheckValueType(p);
        localRuns = 0;
        localCount = (ulong)parameters.Length;
        if (localEnds.Length < body.Locals.Length)
        {
            localEnds = new ulong[body.Locals.Length];
            localTypes = new ValueType[body.Locals.Length];
        }
        foreach (var run in body.Locals)
        {
            CheckValueType(run.Type);
            if (run.Count == 0) continue;
            localCount += run.Count;
            localEnds[localRuns] = localCount;
            localTypes[localRuns] = run.Type;
            localRuns++;
        }
        if (localCount > EngineLimits.MaxLocals) Fail($"too many locals: {localCount} exceeds the limit of {EngineLimits.MaxLocals}");
    }

    private ValueType LocalType(uint index)
    {
        if (index < (uint)parameters.Length) return parameters[index];
        if (index >= localCount) Fail($"unknown local {index}");
        // Binary search for the first run ending after the index.
        int lo = 0, hi = localRuns - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (localEnds[mid] > index) hi = mid;
            else lo = mid + 1;
        }
        return localTypes[lo];
    }

    private void Step(ref WasmReader r, Opcode opcode)
    {
        switch (opcode)
        {
            case Opcode.Unreachable:
                SetUnreachable();
                break;
            case Opcode.Nop:
                break;
            case Opcode.Block or Opcode.Loop:
            {
                var type = ReadBlockType(ref r);
                PopValues(type.Parameters);
                PushFrame(opcode, type);
                break;
            }
            case Opcode.If:
            {
                var type = ReadBlockType(ref r);
                Pop(ValueType.I32);
                PopValues(type.Parameters);
                PushFrame(opcode, type);
                break;
            }
            case Opcode.Else:
            {
                if (frameCount == 0 || frames[frameCount - 1].Kind != Opcode.If) WasmReader.ThrowDecode("else without if", instructionOffset);
                var frame = PopFrame();
                PushFrame(Opcode.Else, frame.Type);
                break;
            }
            case Opcode.End:
            {
                var frame = PopFrame();
                // An if without else acts as if its else passed the parameters through.
                if (frame.Kind == Opcode.If && !SameTypes(frame.Type.Parameters, frame.Type.Results)) Fail(Messages.TypeMismatch);
                PushValues(frame.Type.Results);
                break;
            }
            case Opcode.Br:
                PopValues(Label(r.ReadU32()).LabelTypes);
                SetUnreachable();
                break;
            case Opcode.BrIf:
            {
                var labelTypes = Label(r.ReadU32()).LabelTypes;
                Pop(ValueType.I32);
                PopValues(labelTypes);
                PushValues(labelTypes);
                break;
            }
            case Opcode.BrTable:
                BrTable(ref r);
                break;
            case Opcode.Return:
                PopValues(frames[0].Type.Results);
                SetUnreachable();
                break;
            case Opcode.Call:
            {
                var type = FunctionType(r.ReadU32());
                PopValues(type.Parameters);
                PushValues(type.Results);
                break;
            }
            case Opcode.CallIndirect:
            {
                var typeIndex = r.ReadU32();
                var table = Table(r.ReadU32());
                if (table.ElementType != ValueType.FuncRef) Fail(Messages.TypeMismatch);
                var type = Type(typeIndex);
                Pop(ValueType.I32);
                PopValues(type.Parameters);
                PushValues(type.Results);
                break;
            }
            case Opcode.RefNull:
                Push(r.ReadReferenceType());
                break;
            case Opcode.RefIsNull:
            {
                var t = Pop();
                if (t != Operand.Unknown && !t.IsReference()) Fail(Messages.TypeMismatch);
                Push(ValueType.I32);
                break;
            }
            case Opcode.RefFunc:
            {
                var function = r.ReadU32();
                FunctionType(function);
                if (!context.DeclaredReferences[function]) Fail("undeclared function reference");
                Push(ValueType.FuncRef);
                break;
            }
            case Opcode.Drop:
                Pop();
                break;
            case Opcode.Select:
                SelectUntyped();
                break;
            case Opcode.SelectTyped:
            {
                var count = r.ReadU32();
                if (count != 1) Fail("invalid result arity");
                var t = r.ReadValueType();
                CheckValueType(t);
                Pop(ValueType.I32);
                Pop(t);
                Pop(t);
                Push(t);
                break;
            }
            case Opcode.LocalGet:
                Push(LocalType(r.ReadU32()));
                break;
            case Opcode.LocalSet:
                Pop(LocalType(r.ReadU32()));
                break;
            case Opcode.LocalTee:
            {
                var t = LocalType(r.ReadU32());
                Pop(t);
                Push(t);
                break;
            }
            case Opcode.GlobalGet:
                Push(Global(r.ReadU32()).ValueType);
                break;
            case Opcode.GlobalSet:
            {
                var global = Global(r.ReadU32());
                if (!global.Mutable) Fail("global is immutable");
                Pop(global.ValueType);
                break;
            }
            case Opcode.TableGet:
            {
                var table = Table(r.ReadU32());
                Pop(ValueType.I32);
                Push(table.ElementType);
                break;
            }
            case Opcode.TableSet:
            {
                var table = Table(r.ReadU32());
                Pop(table.ElementType);
                Pop(ValueType.I32);
                break;
            }
            case >= Opcode.I32Load and <= Opcode.I64Store32:
            {
                var (type, natural, isStore) = NumericSignatures.MemoryAccess(opcode);
                ReadMemArg(ref r, natural);
                if (isStore)
                {
                    Pop(type);
                    Pop(ValueType.I32);
                }
                else
                {
                    Pop(ValueType.I32);
                    Push(type);
                }
                break;
            }
            case Opcode.MemorySize:
                r.ReadZeroByte();
                RequireMemory(0);
                Push(ValueType.I32);
                break;
            case Opcode.MemoryGrow:
                r.ReadZeroByte();
                RequireMemory(0);
                Pop(ValueType.I32);
                Push(ValueType.I32);
                break;
            case Opcode.I32Const:
                r.ReadS32();
                Push(ValueType.I32);
                break;
            case Opcode.I64Const:
                r.ReadS64();
                Push(ValueType.I64);
                break;
            case Opcode.F32Const:
                r.Skip(4);
                Push(ValueType.F32);
                break;
            case Opcode.F64Const:
                r.Skip(8);
                Push(ValueType.F64);
                break;
            case Opcode.PrefixMisc:
                Misc(ref r);
                break;
            case Opcode.PrefixSimd:
                Simd(ref r);
                break;
            case Opcode.PrefixAtomic:
                if ((features & WasmFeatures.Threads) == 0) Fail(Messages.AtomicsNotSupported);
                Atomic(ref r);
                break;
            default:
                if (!NumericSignatures.TryGet(opcode, out var operand, out var arity, out var result))
                {
                    WasmReader.ThrowDecode($"illegal opcode {(byte)opcode:x2}", instructionOffset);
                }
                Pop(operand);
                if (arity == 2) Pop(operand);
                Push(result);
                break;
        }
    }

    private void Misc(ref WasmReader r)
    {
        var sub = (MiscOpcode)r.ReadU32();
        switch (sub)
        {
            case MiscOpcode.I32TruncSatF32S or MiscOpcode.I32TruncSatF32U:
                Pop(ValueType.F32);
                Push(ValueType.I32);
                break;
            case MiscOpcode.I32TruncSatF64S or MiscOpcode.I32TruncSatF64U:
                Pop(ValueType.F64);
                Push(ValueType.I32);
                break;
            case MiscOpcode.I64TruncSatF32S or MiscOpcode.I64TruncSatF32U:
                Pop(ValueType.F32);
                Push(ValueType.I64);
                break;
            case MiscOpcode.I64TruncSatF64S or MiscOpcode.I64TruncSatF64U:
                Pop(ValueType.F64);
                Push(ValueType.I64);
                break;
            case MiscOpcode.MemoryInit:
            {
                var segment = r.ReadU32();
                r.ReadZeroByte();
                RequireMemory(0);
                RequireDataSegment(segment);
                PopI32s(3);
                break;
            }
            case MiscOpcode.DataDrop:
                RequireDataSegment(r.ReadU32());
                break;
            case MiscOpcode.MemoryCopy:
                r.ReadZeroByte();
                r.ReadZeroByte();
                RequireMemory(0);
                PopI32s(3);
                break;
            case MiscOpcode.MemoryFill:
                r.ReadZeroByte();
                RequireMemory(0);
                PopI32s(3);
                break;
            case MiscOpcode.TableInit:
            {
                var segment = r.ReadU32();
                var table = Table(r.ReadU32());
                if (Element(segment).ElementType != table.ElementType) Fail(Messages.TypeMismatch);
                PopI32s(3);
                break;
            }
            case MiscOpcode.ElemDrop:
                Element(r.ReadU32());
                break;
            case MiscOpcode.TableCopy:
            {
                var destination = Table(r.ReadU32());
                var source = Table(r.ReadU32());
                if (destination.ElementType != source.ElementType) Fail(Messages.TypeMismatch);
                PopI32s(3);
                break;
            }
            case MiscOpcode.TableGrow:
            {
                var table = Table(r.ReadU32());
                Pop(ValueType.I32);
                Pop(table.ElementType);
                Push(ValueType.I32);
                break;
            }
            case MiscOpcode.TableSize:
                Table(r.ReadU32());
                Push(ValueType.I32);
                break;
            case MiscOpcode.TableFill:
            {
                var table = Table(r.ReadU32());
                Pop(ValueType.I32);
                Pop(table.ElementType);
                Pop(ValueType.I32);
                break;
            }
            default:
                WasmReader.ThrowDecode($"illegal opcode fc {(uint)sub:x}", instructionOffset);
                break;
        }
    }

    /// <summary>
    /// The threads proposal's instructions (proposals/threads/Overview.md): every access names
    /// memory 0 with a memarg whose alignment must be exactly the access size, since atomics on
    /// misaligned addresses trap rather than run slowly.
    /// </summary>
    private void Atomic(ref WasmReader r)
    {
        var sub = (AtomicOpcode)r.ReadU32();
        if (sub == AtomicOpcode.AtomicFence)
        {
            r.ReadZeroByte();
            return;
        }
        if (!AtomicSignatures.TryGet(sub, out var type, out var size, out var shape))
        {
            WasmReader.ThrowDecode($"illegal opcode fe {(uint)sub:x}", instructionOffset);
        }
        var align = r.ReadU32();
        r.ReadU32(); // offset
        RequireMemory(0);
        if (align != (uint)size) Fail("atomic alignment must be natural");
        switch (shape)
        {
            case AtomicShape.Load:
                Pop(ValueType.I32);
                Push(type);
                break;
            case AtomicShape.Store:
                Pop(type);
                Pop(ValueType.I32);
                break;
            case AtomicShape.ReadModifyWrite:
                Pop(type);
                Pop(ValueType.I32);
                Push(type);
                break;
            case AtomicShape.CompareExchange:
                Pop(type);
                Pop(type);
                Pop(ValueType.I32);
                Push(type);
                break;
            case AtomicShape.Notify:
                Pop(ValueType.I32);
                Pop(ValueType.I32);
                Push(ValueType.I32);
                break;
            case AtomicShape.Wait:
                Pop(ValueType.I64); // timeout in ns
                Pop(type);          // expected value
                Pop(ValueType.I32);
                Push(ValueType.I32);
                break;
        }
    }

    /// <summary>
    /// The 0xFD instructions, typed by <see cref="SimdTable"/> (Spec 3.3.3 vector instructions,
    /// 3.3.7 memory instructions): a memarg's alignment at most the access's natural one, a lane
    /// index below the lane count, shuffle indices below 32.
    /// </summary>
    private void Simd(ref WasmReader r)
    {
        var code = r.ReadU32();
        if (!SimdTable.TryGet(code, out var instruction)) WasmReader.ThrowDecode($"illegal opcode fd {code:x}", instructionOffset);
        var immediates = SimdImmediates.Read(instruction, ref r);
        if (instruction.Immediate is SimdImmediate.MemArg or SimdImmediate.MemArgLane)
        {
            RequireMemory(0);
            if (immediates.Align > (uint)instruction.NaturalAlignment) Fail("alignment must not be larger than natural");
        }
        if (instruction.Immediate is SimdImmediate.Lane or SimdImmediate.MemArgLane && immediates.Lane >= instruction.Lanes) Fail("invalid lane index");
        if (instruction.Immediate == SimdImmediate.Shuffle && !ShuffleIndicesValid(immediates)) Fail("invalid lane index");
        const ValueType V128 = ValueType.V128;
        switch (instruction.Shape)
        {
            case SimdShape.Unary: Pop(V128); Push(V128); break;
            case SimdShape.Binary: Pop(V128); Pop(V128); Push(V128); break;
            case SimdShape.Ternary: Pop(V128); Pop(V128); Pop(V128); Push(V128); break;
            case SimdShape.Test: Pop(V128); Push(ValueType.I32); break;
            case SimdShape.Shift: Pop(ValueType.I32); Pop(V128); Push(V128); break;
            case SimdShape.Splat: Pop(instruction.Scalar); Push(V128); break;
            case SimdShape.ExtractLane: Pop(V128); Push(instruction.Scalar); break;
            case SimdShape.ReplaceLane: Pop(instruction.Scalar); Pop(V128); Push(V128); break;
            case SimdShape.Load: Pop(ValueType.I32); Push(V128); break;
            case SimdShape.Store or SimdShape.StoreLane: Pop(V128); Pop(ValueType.I32); break;
            case SimdShape.LoadLane: Pop(V128); Pop(ValueType.I32); Push(V128); break;
            case SimdShape.Const: Push(V128); break;
        }
    }

    private static bool ShuffleIndicesValid(SimdImmediates immediates)
    {
        for (var i = 0; i < 64; i += 8)
        {
            if (((immediates.Low >> i) & 0xFF) >= 32 || ((immediates.High >> i) & 0xFF) >= 32) return false;
        }
        return true;
    }

    /// <summary>
    /// br_table (Appendix 7.3): every target must carry as many values as the default, and the
    /// operands must fit each target's types; after an unreachable point those may be Unknown,
    /// so each target is checked against what is actually on the stack.
    /// </summary>
    /// <remarks>
    /// Checking a target leaves the stack as it was, so a frame already checked for this
    /// instruction passes again: each frame is checked once (stamped with the instruction's
    /// offset), which keeps a table of many targets into a few wide labels linear in its size.
    /// </remarks>
    private void BrTable(ref WasmReader r)
    {
        var count = r.ReadU32();
        // Each target index takes a byte at least: reject a forged count before looping on it.
        if (count >= (uint)r.Remaining) r.Skip(r.Remaining + 1);
        Pop(ValueType.I32);
        var targetsStart = r.Position;
        for (var i = 0u; i < count; i++) r.ReadU32();
        var defaultTypes = Label(r.ReadU32()).LabelTypes;
        var arity = defaultTypes.Length;
        var end = r.Position;
        r.Position = targetsStart;
        for (var i = 0u; i < count; i++)
        {
            ref var frame = ref Label(r.ReadU32());
            if (frame.CheckedByBrTableAt == instructionOffset) continue;
            frame.CheckedByBrTableAt = instructionOffset;
            var labelTypes = frame.LabelTypes;
            if (labelTypes.Length != arity) Fail(Messages.TypeMismatch);
            // push_vals(pop_vals(label_types)): check without consuming.
            var popped = PopValuesInto(labelTypes);
            PushScratch(popped);
        }
        r.Position = end;
        PopValues(defaultTypes);
        SetUnreachable();
    }

    private void SelectUntyped()
    {
        Pop(ValueType.I32);
        var t1 = Pop();
        var t2 = Pop();
        // Untyped select is only for numeric (and vector) operands (Spec 3.3.4).
        if (!(IsNumericOrUnknown(t1) && IsNumericOrUnknown(t2))) Fail(Messages.TypeMismatch);
        if (t1 != t2 && t1 != Operand.Unknown && t2 != Operand.Unknown) Fail(Messages.TypeMismatch);
        Push(t1 == Operand.Unknown ? t2 : t1);
    }

    private static bool IsNumericOrUnknown(ValueType t) => t == Operand.Unknown || t.IsNumeric() || t == ValueType.V128;

    private void ReadMemArg(ref WasmReader r, int naturalAlignment)
    {
        var align = r.ReadU32();
        r.ReadU32(); // offset
        RequireMemory(0);
        if (align > (uint)naturalAlignment) Fail("alignment must not be larger than natural");
    }

    private FuncType ReadBlockType(ref WasmReader r)
    {
        var start = r.Offset;
        var blockType = r.ReadS33();
        if (blockType == Binary.Internal.BlockTypes.Empty) return FuncType.Empty;
        if (blockType >= 0) return Type((ulong)blockType);
        if (!Binary.Internal.BlockTypes.TryGetValueType(blockType, out var valueType)) WasmReader.ThrowDecode("malformed value type", start);
        CheckValueType(valueType);
        return Operand.ResultOf(valueType);
    }

    // --- Operand stack (Appendix 7.3 push_val / pop_val) ---

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Push(ValueType type)
    {
        if (operandCount == operands.Length) Array.Resize(ref operands, operands.Length * 2);
        operands[operandCount++] = type;
        if (operandCount > maxOperandCount) NoteDepth();
    }

    // A new deepest point: the compiler sizes the frame by it (FrameEstimate), and the IL
    // evaluation stack bounds it (EngineLimits.MaxOperandStackDepth).
    private void NoteDepth()
    {
        maxOperandCount = operandCount;
        if (operandCount > EngineLimits.MaxOperandStackDepth)
        {
            Fail($"operand stack too deep: more than the limit of {EngineLimits.MaxOperandStackDepth} values");
        }
    }

    private ValueType Pop()
    {
        ref var frame = ref frames[frameCount - 1];
        if (operandCount == frame.Height)
        {
            if (frame.Unreachable) return Operand.Unknown;
            Fail(Messages.TypeMismatch);
        }
        return operands[--operandCount];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Pop(ValueType expected)
    {
        var actual = Pop();
        if (actual != expected && actual != Operand.Unknown && expected != Operand.Unknown) Fail(Messages.TypeMismatch);
    }

    private void PopI32s(int count)
    {
        for (var i = 0; i < count; i++) Pop(ValueType.I32);
    }

    private void PushValues(ValueType[] types)
    {
        foreach (var t in types) Push(t);
    }

    private void PopValues(ValueType[] types)
    {
        for (var i = types.Length - 1; i >= 0; i--) Pop(types[i]);
    }

    /// <summary>Pops <paramref name="types"/> and keeps what was actually popped in the scratch buffer.</summary>
    private int PopValuesInto(ValueType[] types)
    {
        if (scratch.Length < types.Length) scratch = new ValueType[types.Length];
        for (var i = types.Length - 1; i >= 0; i--)
        {
            var actual = Pop();
            if (actual != types[i] && actual != Operand.Unknown) Fail(Messages.TypeMismatch);
            scratch[i] = actual;
        }
        return types.Length;
    }

    private void PushScratch(int count)
    {
        for (var i = 0; i < count; i++) Push(scratch[i]);
    }

    // --- Control stack (push_ctrl / pop_ctrl / unreachable) ---

    private void PushFrame(Opcode kind, FuncType type)
    {
        if (frameCount == frames.Length) Array.Resize(ref frames, frames.Length * 2);
        frames[frameCount++] = new ControlFrame { Kind = kind, Type = type, Height = operandCount, Unreachable = false, CheckedByBrTableAt = -1 };
        PushValues(type.Parameters);
    }

    private ControlFrame PopFrame()
    {
        var frame = frames[frameCount - 1];
        PopValues(frame.Type.Results);
        if (operandCount != frame.Height) Fail(Messages.TypeMismatch);
        frameCount--;
        return frame;
    }

    private void SetUnreachable()
    {
        ref var frame = ref frames[frameCount - 1];
        operandCount = frame.Height;
        frame.Unreachable = true;
    }

    private ref ControlFrame Label(uint depth)
    {
        if (depth >= (uint)frameCount) Fail($"unknown label {depth}");
        return ref frames[frameCount - 1 - (int)depth];
    }

    // --- Index spaces ---

    private FuncType Type(ulong index)
    {
        if (index >= (ulong)context.Types.Length) Fail($"unknown type {index}");
        return context.Types[index];
    }

    private FuncType FunctionType(uint index)
    {
        if (index >= (uint)context.FunctionTypes.Length) Fail($"unknown function {index}");
        return context.FunctionTypes[index] ?? Fail<FuncType>($"unknown type of function {index}");
    }

    private TableType Table(uint index)
    {
        if (index >= (uint)context.Tables.Length) Fail($"unknown table {index}");
        return context.Tables[index];
    }

    private GlobalType Global(uint index)
    {
        if (index >= (uint)context.Globals.Length) Fail($"unknown global {index}");
        return context.Globals[index];
    }

    private ElementSegment Element(uint index)
    {
        var elements = context.Module.Elements;
        if (index >= (uint)elements.Length) Fail($"unknown elem segment {index}");
        return elements[index];
    }

    private void RequireMemory(uint index)
    {
        if (index >= (uint)context.MemoryCount) Fail($"unknown memory {index}");
    }

    /// <summary>
    /// memory.init and data.drop need the data count section (Spec 5.5.16), so that one pass can
    /// check their index before the data section is read. As in the reference interpreter, its
    /// absence is a format error only when there are data segments; without any, the index is
    /// simply unknown.
    /// </summary>
    private void RequireDataSegment(uint index)
    {
        var module = context.Module;
        var count = module.DataCount
            ?? (module.Data.Length == 0 ? 0u : WasmReader.ThrowDecode<uint>("data count section required", instructionOffset));
        if (index >= count) Fail($"unknown data segment {index}");
    }

    // Every value type of 2.0 is supported; kept as the one place a future type would be gated.
    private static void CheckValueType(ValueType type)
    {
    }

    private static bool SameTypes(ValueType[] a, ValueType[] b) => a.AsSpan().SequenceEqual(b);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Fail(string message) => throw new ValidationException(message, instructionOffset, functionIndex);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private T Fail<T>(string message) => throw new ValidationException(message, instructionOffset, functionIndex);
}

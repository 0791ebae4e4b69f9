using System.Reflection;
using System.Reflection.Emit;
using Sandbox.Engine.Binary;
using Sandbox.Engine.Binary.Internal;
using Sandbox.Engine.Runtime;

namespace Sandbox.Engine.Compilation;

/// <summary>
/// Translates one validated function body to IL in a single pass (Spec 4.4 execution semantics).
/// </summary>
/// <remarks>
/// <para>The Wasm operand stack is the IL evaluation stack; <see cref="stack"/> mirrors its types.
/// Branches carry their values in per-frame locals and pop whatever lies above the target's
/// height, so each label is reached with one stack shape, as IL requires (ECMA-335 III.1.7.5).</para>
/// <para>Code after an unconditional transfer is unreachable: it is skipped, not emitted, until
/// the <c>else</c> or <c>end</c> of the current frame (the validator has checked it).</para>
/// <para>Method shape: <c>static R f(params..., ref extraResults..., Instance context)</c>, see
/// <see cref="ClrSignature"/>.</para>
/// </remarks>
internal sealed partial class FunctionCompiler
{
    private readonly ModuleCompilation module;
    private readonly int definedIndex;
    private readonly FuncType type;
    private readonly FunctionBody body;
    private readonly ILGenerator il;
    private readonly List<ValueType> stack = [];
    private readonly List<ControlFrame> frames = [];
    private readonly Dictionary<Type, Stack<LocalBuilder>> freeTemporaries = [];
    private readonly Dictionary<(ValueType Type, int Position), LocalBuilder> sharedSlots = [];
    private readonly int depthArgument;
    private readonly int stateArgument;
    private readonly int contextArgument;
    private readonly Dictionary<int, SplitPart[]> plan;
    private ValueType[] localTypes = [];
    private LocalBuilder[] locals = [];
    private readonly Dictionary<uint, LocalBuilder> cachedGlobals = [];
    private readonly Dictionary<uint, LocalBuilder> cachedTables = [];
    private LocalBuilder? memoryLocal;
    private LocalBuilder? baseLocal;
    private LocalBuilder? lengthLocal;
    private Label bodyStart;
    private Label cacheBlock;
    private bool unreachable;
    private int deadDepth;

    public FunctionCompiler(ModuleCompilation module, int definedIndex)
    {
        this.module = module;
        this.definedIndex = definedIndex;
        type = module.Definition.Types[module.Definition.Functions[definedIndex]];
        body = module.Definition.Codes[definedIndex];
        // Room for the whole body's IL up front (about 4 bytes of IL per byte of Wasm), instead of
        // growing the stream by doubling from 64 bytes.
        il = module.Bodies[definedIndex].GetILGenerator(Math.Min(body.Code.Length * 4 + 64, 1 << 20));
        depthArgument = type.Parameters.Length + Math.Max(0, type.Results.Length - 1);
        stateArgument = depthArgument + 1;
        contextArgument = depthArgument + 2;
        plan = module.Plans[definedIndex];
    }

    /// <summary>Compiles the body; returns the size of its IL in bytes (for <see cref="CodeSize"/>).</summary>
    public int Compile()
    {
        DeclareLocals();
        EmitPrologue();
        EmitOpaqueFloatZeros();
        // The objects the body uses are loaded into locals by a block emitted after the body, once
        // the body has said which it needs; entry jumps there first and comes back.
        bodyStart = il.DefineLabel();
        cacheBlock = il.DefineLabel();
        il.Emit(OpCodes.Br, cacheBlock);
        il.MarkLabel(bodyStart);
        frames.Add(new ControlFrame(FrameKind.Function, [], type.Results, 0, il.DefineLabel()));
        var reader = new WasmReader(body.Code.Span, body.CodeOffset);
        EmitInstructions(ref reader);
        EmitCacheBlock();
        return il.ILOffset;
    }

    /// <summary>
    /// Compiles the function's body, or a part's construct (until the frame its first instruction
    /// opens is closed) or span (up to its end).
    /// </summary>
    private void EmitInstructions(ref WasmReader reader)
    {
        do
        {
            var start = reader.Offset;
            var opcode = (Opcode)reader.ReadByte();
            if (unreachable && opcode is not (Opcode.End or Opcode.Else))
            {
                if (opcode is Opcode.Block or Opcode.Loop or Opcode.If) deadDepth++;
                InstructionSkipper.SkipImmediates(opcode, ref reader, reader.Offset - 1);
                continue;
            }
            if (plan.Count > 0 && PartAt(start) is { } outlined)
            {
                EmitPartCall(outlined);
                reader.Position = outlined.End - body.CodeOffset;
                continue;
            }
            EmitInstruction(opcode, ref reader);
        }
        while (part is { Kind: Opcode.Nop } ? reader.Offset < part.End : frames.Count > 0);
    }

    /// <summary>The longest part beginning at <paramref name="offset"/> inside the code being compiled (not this part itself).</summary>
    private SplitPart? PartAt(int offset)
    {
        if (!plan.TryGetValue(offset, out var candidates)) return null;
        foreach (var candidate in candidates)
        {
            if (part is null || (candidate != part && candidate.End <= part.End)) return candidate;
        }
        return null;
    }

    private void EmitCacheBlock()
    {
        il.MarkLabel(cacheBlock);
        if (memoryLocal is not null)
        {
            il.Emit(OpCodes.Ldarg, contextArgument);
            EmitField(OpCodes.Ldfld, Members.InstanceMemory0);
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Stloc, memoryLocal);
            EmitField(OpCodes.Ldfld, Members.MemoryBase);
            il.Emit(OpCodes.Stloc, BaseLocal);
            EmitRefreshLength();
        }
        foreach (var (index, local) in cachedGlobals) EmitCacheElement(Members.InstanceGlobals, index, local);
        foreach (var (index, local) in cachedTables) EmitCacheElement(Members.InstanceTables, index, local);
        il.Emit(OpCodes.Br, bodyStart);
    }

    private void EmitCacheElement(FieldInfo array, uint index, LocalBuilder local)
    {
        EmitLoadElement(array, index);
        il.Emit(OpCodes.Stloc, local);
    }

    /// <summary>Memory 0, cached in a local; its base (which never moves) and length are cached too.</summary>
    private LocalBuilder MemoryLocal
    {
        get
        {
            DeclareMemoryLocals();
            return memoryLocal!;
        }
    }

    private LocalBuilder BaseLocal
    {
        get
        {
            DeclareMemoryLocals();
            return baseLocal!;
        }
    }

    private LocalBuilder LengthLocal
    {
        get
        {
            DeclareMemoryLocals();
            return lengthLocal!;
        }
    }

    private void DeclareMemoryLocals()
    {
        if (memoryLocal is not null) return;
        memoryLocal = il.DeclareLocal(typeof(Memory));
        baseLocal = il.DeclareLocal(typeof(byte*));
        lengthLocal = il.DeclareLocal(typeof(ulong));
    }

    /// <summary>
    /// Reloads the cached memory length. Only memory.grow changes it, from this code or from any
    /// function or host call, so it is reloaded after each of those.
    /// </summary>
    private void EmitRefreshLength()
    {
        il.Emit(OpCodes.Ldloc, MemoryLocal);
        EmitField(OpCodes.Ldfld, Members.MemoryLength);
        il.Emit(OpCodes.Stloc, LengthLocal);
    }

    private void EmitRefreshAfterCall()
    {
        if (module.MemoryTypes.Length > 0) EmitRefreshLength();
    }

    /// <summary>The type of each of the function's locals, parameters first.</summary>
    private ValueType[] LocalTypes()
    {
        var types = new ValueType[type.Parameters.Length + body.Locals.Sum(run => (long)run.Count)];
        type.Parameters.CopyTo(types, 0);
        var n = type.Parameters.Length;
        foreach (var run in body.Locals)
        {
            for (var i = 0u; i < run.Count; i++) types[n++] = run.Type;
        }
        return types;
    }

    private void DeclareLocals()
    {
        localTypes = LocalTypes();
        // IL locals start zeroed (InitLocals), which is each type's Wasm default (Spec 4.4.10).
        locals = new LocalBuilder[localTypes.Length - type.Parameters.Length];
        for (var i = 0; i < locals.Length; i++) locals[i] = il.DeclareLocal(ClrSignature.ClrType(localTypes[type.Parameters.Length + i]));
    }

    // A float local's zero, as RyuJIT sees InitLocals, is a constant: x - local, x + -local or
    // x * (local + 1) then folds to x, which is wrong for a signalling NaN x (fuzz seed 20265730:
    // f32.sub of a never-set local returned 0xff95503a unquieted; see FoldProneConstant). Float
    // and v128 locals therefore start from mutable statics the JIT cannot fold. Past
    // RyuJIT's 2,000 locals a method compiles without optimisation (MinOpts), which folds nothing,
    // so the stores are left out there.
    private const int OpaqueZeroLocalLimit = 2000;

    private void EmitOpaqueFloatZeros()
    {
        if (locals.Length > OpaqueZeroLocalLimit) return;
        for (var i = 0; i < locals.Length; i++)
        {
            var zero = localTypes[type.Parameters.Length + i] switch
            {
                F32 => Members.StaticField(typeof(Numerics), nameof(Numerics.F32Zero)),
                F64 => Members.StaticField(typeof(Numerics), nameof(Numerics.F64Zero)),
                V128 => Members.StaticField(typeof(Simd), nameof(Simd.Zero)),
                _ => null,
            };
            if (zero is null) continue;
            EmitField(OpCodes.Ldsfld, zero);
            il.Emit(OpCodes.Stloc, locals[i]);
        }
    }

    // Entry: check the call depth and the stack's room every StackGuard.CheckInterval levels (a
    // function with a large frame is checked by its entry method instead, before this frame is
    // taken: see StackGuard), and poll for interruption.
    private void EmitPrologue()
    {
        if (!FrameEstimate.NeedsCheckedEntry(module.FrameBytes[definedIndex]))
        {
            var skip = il.DefineLabel();
            il.Emit(OpCodes.Ldarg, depthArgument);
            il.Emit(OpCodes.Ldc_I4, StackGuard.CheckInterval - 1);
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Brtrue, skip);
            il.Emit(OpCodes.Ldarg, depthArgument);
            il.Emit(OpCodes.Ldarg, stateArgument);
            EmitHelperCall(Members.StackCheck);
            il.MarkLabel(skip);
        }
        EmitInterruptPoll();
    }

    private void EmitEpilogue(ControlFrame function)
    {
        var slots = SlotsFor(function);
        if (type.Results.Length > 1)
        {
            StoreSlots(function);
            for (var i = 1; i < slots.Length; i++)
            {
                il.Emit(OpCodes.Ldarg, type.Parameters.Length + i - 1);
                il.Emit(OpCodes.Ldloc, slots[i]);
                SignatureStubs.EmitStoreIndirect(il, type.Results[i]);
            }
            il.Emit(OpCodes.Ldloc, slots[0]);
        }
        il.Emit(OpCodes.Ret);
    }

    // A volatile read of this thread's stop flag; when set, a throw block (cold, no call on the hot
    // path). Function entries and loop headers come here, so fuel is consumed here too.
    private void EmitInterruptPoll()
    {
        var running = il.DefineLabel();
        il.Emit(OpCodes.Ldarg, stateArgument);
        il.Emit(OpCodes.Volatile);
        EmitField(OpCodes.Ldfld, Members.StateInterrupt);
        il.Emit(OpCodes.Brfalse, running);
        il.Emit(OpCodes.Ldarg, stateArgument);
        EmitHelperCall(Members.StateInterrupted);
        il.Emit(OpCodes.Throw);
        il.MarkLabel(running);
        if (module.ConsumeFuel) EmitConsumeFuel();
    }

    // state.Fuel -= 1; if negative, trap OutOfFuel (EngineOptions.ConsumeFuel).
    private void EmitConsumeFuel()
    {
        var left = il.DefineLabel();
        il.Emit(OpCodes.Ldarg, stateArgument);
        il.Emit(OpCodes.Ldarg, stateArgument);
        EmitField(OpCodes.Ldfld, Members.StateFuel);
        il.Emit(OpCodes.Ldc_I8, 1L);
        il.Emit(OpCodes.Sub);
        EmitField(OpCodes.Stfld, Members.StateFuel);
        il.Emit(OpCodes.Ldarg, stateArgument);
        EmitField(OpCodes.Ldfld, Members.StateFuel);
        il.Emit(OpCodes.Ldc_I8, 0L);
        il.Emit(OpCodes.Bge, left);
        il.Emit(OpCodes.Ldarg, stateArgument);
        EmitHelperCall(Members.StateOutOfFuel);
        il.Emit(OpCodes.Throw);
        il.MarkLabel(left);
    }

    private void EmitInstruction(Opcode opcode, ref WasmReader reader)
    {
        switch (opcode)
        {
            case Opcode.Unreachable:
                EmitTrap(TrapCode.Unreachable);
                SetUnreachable();
                break;
            case Opcode.Nop:
                break;
            case Opcode.Block:
            {
                var (parameters, results) = ReadBlockType(ref reader);
                frames.Add(new ControlFrame(FrameKind.Block, parameters, results, stack.Count - parameters.Length, il.DefineLabel()));
                break;
            }
            case Opcode.Loop:
            {
                var (parameters, results) = ReadBlockType(ref reader);
                var frame = new ControlFrame(FrameKind.Loop, parameters, results, stack.Count - parameters.Length, il.DefineLabel());
                frames.Add(frame);
                if (parameters.Length > 0)
                {
                    StoreSlots(frame);
                    il.MarkLabel(frame.Label);
                    LoadSlots(frame);
                }
                else
                {
                    il.MarkLabel(frame.Label);
                }
                EmitInterruptPoll(); // every back edge comes through here
                break;
            }
            case Opcode.If:
            {
                var (parameters, results) = ReadBlockType(ref reader);
                Pop();
                var frame = new ControlFrame(FrameKind.If, parameters, results, stack.Count - parameters.Length, il.DefineLabel())
                {
                    Else = il.DefineLabel(),
                };
                frames.Add(frame);
                il.Emit(OpCodes.Brfalse, frame.Else);
                break;
            }
            case Opcode.Else:
                if (deadDepth > 0) break;
                BeginElse(frames[^1]);
                break;
            case Opcode.End:
                if (deadDepth > 0)
                {
                    deadDepth--;
                    break;
                }
                End();
                break;
            case Opcode.Br:
                EmitBranch(Target(reader.ReadU32()));
                SetUnreachable();
                break;
            case Opcode.BrIf:
                EmitBranchIf(Target(reader.ReadU32()));
                break;
            case Opcode.BrTable:
                EmitBranchTable(ref reader);
                break;
            case Opcode.Return:
                EmitBranch(part is null ? frames[0] : Target((uint)(frames.Count - 1 + part.Depth)));
                SetUnreachable();
                break;
            case Opcode.Call:
                EmitCall(reader.ReadU32());
                break;
            case Opcode.CallIndirect:
            {
                var typeIndex = reader.ReadU32();
                var tableIndex = reader.ReadU32();
                EmitCallIndirect(typeIndex, tableIndex);
                break;
            }
            case Opcode.Drop:
                Pop();
                il.Emit(OpCodes.Pop);
                break;
            case Opcode.Select:
                EmitSelect();
                break;
            case Opcode.SelectTyped:
                for (var n = reader.ReadU32(); n > 0; n--) reader.ReadValueType();
                EmitSelect();
                break;
            case Opcode.LocalGet:
                EmitLocalGet(reader.ReadU32());
                break;
            case Opcode.LocalSet:
                EmitLocalSet(reader.ReadU32());
                break;
            case Opcode.LocalTee:
            {
                var index = reader.ReadU32();
                il.Emit(OpCodes.Dup);
                Push(stack[^1]);
                EmitLocalSet(index);
                break;
            }
            case Opcode.GlobalGet:
                EmitGlobalGet(reader.ReadU32());
                break;
            case Opcode.GlobalSet:
                EmitGlobalSet(reader.ReadU32());
                break;
            case Opcode.TableGet or Opcode.TableSet:
                EmitTableAccess(opcode, reader.ReadU32());
                break;
            case >= Opcode.I32Load and <= Opcode.I64Store32:
            {
                reader.ReadU32(); // alignment hint: no effect on semantics (Spec 4.4.7)
                var offset = reader.ReadU32();
                if (opcode <= Opcode.I64Load32U) EmitLoad(opcode, offset);
                else EmitStore(opcode, offset);
                break;
            }
            case Opcode.MemorySize or Opcode.MemoryGrow:
                reader.ReadZeroByte();
                EmitMemorySizeOrGrow(opcode);
                break;
            case Opcode.I32Const:
                EmitI32Const(reader.ReadS32(), ref reader);
                break;
            case Opcode.I64Const:
                il.Emit(OpCodes.Ldc_I8, reader.ReadS64());
                Push(ValueType.I64);
                break;
            case Opcode.F32Const:
                EmitF32Const(reader.ReadF32Bits());
                break;
            case Opcode.F64Const:
                EmitF64Const(reader.ReadF64Bits());
                break;
            case Opcode.RefNull:
                Push(reader.ReadReferenceType());
                il.Emit(OpCodes.Ldnull);
                break;
            case Opcode.RefIsNull:
                Pop();
                il.Emit(OpCodes.Ldnull);
                il.Emit(OpCodes.Ceq);
                Push(ValueType.I32);
                break;
            case Opcode.RefFunc:
                il.Emit(OpCodes.Ldarg, contextArgument);
                EmitField(OpCodes.Ldfld, Members.InstanceFunctions);
                il.Emit(OpCodes.Ldc_I4, (int)reader.ReadU32());
                il.Emit(OpCodes.Ldelem_Ref);
                Push(ValueType.FuncRef);
                break;
            case Opcode.F64PromoteF32:
                EmitPromote(reader);
                break;
            case Opcode.PrefixMisc:
                EmitMisc((MiscOpcode)reader.ReadU32(), ref reader);
                break;
            case Opcode.PrefixAtomic:
                EmitAtomic((AtomicOpcode)reader.ReadU32(), ref reader);
                break;
            case Opcode.PrefixSimd:
                EmitSimd(ref reader);
                break;
            default:
                if (opcode >= Opcode.I32Eqz && opcode <= Opcode.I64Extend32S)
                {
                    EmitNumeric(opcode);
                    break;
                }
                throw new NotSupportedException($"opcode 0x{(byte)opcode:x2} at offset 0x{reader.Offset - 1:x} is not supported");
        }
    }

    // --- Control ---

    private ControlFrame Target(uint depth) => depth < frames.Count ? frames[frames.Count - 1 - (int)depth] : exitFrames![(int)depth - frames.Count + 1];

    // A block of one result type (Spec 5.4.1 blocktype valtype) gets one of these shared arrays
    // rather than a new one per block; frames never modify their type arrays.
    private static readonly ValueType[][] SingleResults = Enumerable.Range(0, 0x80).Select(code => new[] { (ValueType)code }).ToArray();

    private (ValueType[] Parameters, ValueType[] Results) ReadBlockType(ref WasmReader reader)
    {
        var blockType = reader.ReadS33();
        if (blockType == -64) return ([], []); // 0x40: no parameters, no results
        if (blockType < 0) return ([], SingleResults[blockType & 0x7F]);
        var funcType = module.Definition.Types[blockType];
        return (funcType.Parameters, funcType.Results);
    }

    private void SetUnreachable()
    {
        unreachable = true;
        Truncate(frames.Count > 0 ? frames[^1].Height : 0); // none: a span's own level
    }

    private void BeginElse(ControlFrame frame)
    {
        if (!unreachable)
        {
            StoreSlots(frame);
            il.Emit(OpCodes.Br, frame.Label);
            frame.Targeted = true;
        }
        il.MarkLabel(frame.Else);
        frame.HasElse = true;
        Truncate(frame.Height);
        foreach (var p in frame.Parameters) Push(p);
        unreachable = false;
    }

    private void End()
    {
        var frame = frames[^1];
        if (frame.Kind == FrameKind.If && !frame.HasElse) BeginElse(frame); // an absent else passes the parameters through
        frames.RemoveAt(frames.Count - 1);
        switch (frame.Kind)
        {
            case FrameKind.Loop:
                if (unreachable) ResetTo(frame, frame.Results);
                break;
            case FrameKind.Function:
                if (frame.Targeted)
                {
                    if (!unreachable) StoreSlots(frame);
                    il.MarkLabel(frame.Label);
                    LoadSlots(frame);
                    EmitEpilogue(frame);
                }
                else if (!unreachable)
                {
                    EmitEpilogue(frame);
                }
                break;
            default:
                if (frame.Targeted)
                {
                    if (!unreachable) StoreSlots(frame);
                    il.MarkLabel(frame.Label);
                    Truncate(frame.Height);
                    LoadSlots(frame);
                    unreachable = false;
                }
                else if (unreachable)
                {
                    ResetTo(frame, frame.Results);
                }
                break;
        }
    }

    private void ResetTo(ControlFrame frame, ValueType[] types)
    {
        Truncate(frame.Height);
        foreach (var t in types) Push(t);
    }

    /// <summary>Jumps to <paramref name="frame"/>'s label: values into its slots, extra operands popped. The type stack is left as it was.</summary>
    private void EmitBranch(ControlFrame frame)
    {
        var types = frame.BranchTypes;
        var slots = SlotsFor(frame);
        for (var i = slots.Length - 1; i >= 0; i--) il.Emit(OpCodes.Stloc, slots[i]);
        for (var extra = stack.Count - types.Length - frame.Height; extra > 0; extra--) il.Emit(OpCodes.Pop);
        il.Emit(OpCodes.Br, frame.Label);
        frame.Targeted = true;
    }

    private bool BranchIsBare(ControlFrame frame) => frame.BranchTypes.Length == 0 && stack.Count == frame.Height;

    private void EmitBranchIf(ControlFrame frame)
    {
        Pop();
        if (BranchIsBare(frame))
        {
            il.Emit(OpCodes.Brtrue, frame.Label);
            frame.Targeted = true;
            return;
        }
        var skip = il.DefineLabel();
        il.Emit(OpCodes.Brfalse, skip);
        EmitBranch(frame);
        il.MarkLabel(skip);
    }

    private void EmitBranchTable(ref WasmReader reader)
    {
        var count = reader.ReadU32();
        var depths = new uint[count];
        for (var i = 0; i < count; i++) depths[i] = reader.ReadU32();
        var defaultDepth = reader.ReadU32();
        Pop();
        var stubs = new Dictionary<uint, Label>();
        Label LabelFor(uint depth)
        {
            var frame = Target(depth);
            if (BranchIsBare(frame))
            {
                frame.Targeted = true;
                return frame.Label;
            }
            if (!stubs.TryGetValue(depth, out var stub)) stubs[depth] = stub = il.DefineLabel();
            return stub;
        }
        var table = depths.Select(LabelFor).ToArray();
        var defaultLabel = LabelFor(defaultDepth);
        if (table.Length > 0) il.Emit(OpCodes.Switch, table);
        else il.Emit(OpCodes.Pop);
        il.Emit(OpCodes.Br, defaultLabel);
        foreach (var (depth, stub) in stubs)
        {
            il.MarkLabel(stub);
            EmitBranch(Target(depth));
        }
        SetUnreachable();
    }

    /// <summary>
    /// The locals a branch to <paramref name="frame"/> carries its values in. They are shared by all
    /// frames, by type and position (the i-th value of type T always goes in the i-th T slot): a
    /// slot is live only from the stores before a branch to the loads at its label, with no other
    /// branch between, so frames never need theirs at once. Per-frame slots made 100,000 nested
    /// blocks with results 100,000 IL locals, past the 65,535 a method may have (ECMA-335 II.24.2.6).
    /// </summary>
    private LocalBuilder[] SlotsFor(ControlFrame frame)
    {
        if (frame.Slots is { } slots) return slots;
        var types = frame.BranchTypes;
        slots = new LocalBuilder[types.Length];
        for (var i = 0; i < types.Length; i++)
        {
            var position = 0;
            for (var j = 0; j < i; j++)
            {
                if (types[j] == types[i]) position++;
            }
            if (!sharedSlots.TryGetValue((types[i], position), out var slot)) sharedSlots[(types[i], position)] = slot = il.DeclareLocal(ClrSignature.ClrType(types[i]));
            slots[i] = slot;
        }
        return frame.Slots = slots;
    }

    private void StoreSlots(ControlFrame frame)
    {
        var slots = SlotsFor(frame);
        for (var i = slots.Length - 1; i >= 0; i--)
        {
            il.Emit(OpCodes.Stloc, slots[i]);
            Pop();
        }
    }

    private void LoadSlots(ControlFrame frame)
    {
        var slots = SlotsFor(frame);
        for (var i = 0; i < slots.Length; i++)
        {
            il.Emit(OpCodes.Ldloc, slots[i]);
            Push(frame.BranchTypes[i]);
        }
    }

    // --- Calls ---

    private void EmitCall(uint functionIndex)
    {
        var callee = module.FunctionTypes[functionIndex];
        var imported = module.Definition.ImportedFunctionCount;
        if (functionIndex >= imported)
        {
            var extra = BeginCall(callee);
            il.Emit(OpCodes.Ldarg, contextArgument);
            il.Emit(OpCodes.Call, module.MethodTokens[functionIndex - imported]);
            module.Callees.Add((int)functionIndex - imported);
            EndCall(callee, extra);
            EmitRefreshAfterCall();
            return;
        }
        var function = RentTemporary(typeof(Function));
        il.Emit(OpCodes.Ldarg, contextArgument);
        EmitField(OpCodes.Ldfld, Members.InstanceFunctions);
        il.Emit(OpCodes.Ldc_I4, (int)functionIndex);
        il.Emit(OpCodes.Ldelem_Ref);
        il.Emit(OpCodes.Stloc, function);
        EmitCallThrough(function, callee);
        ReturnTemporary(function);
    }

    // Spec 4.4.8.7 call_indirect: index past the table -> "undefined element", null -> "uninitialized
    // element", type differs (canonical ids) -> "indirect call type mismatch"; then calli.
    private void EmitCallIndirect(uint typeIndex, uint tableIndex)
    {
        var callee = module.Definition.Types[typeIndex];
        Pop();
        var function = RentTemporary(typeof(Function));
        EmitLoadTable(tableIndex);
        il.Emit(OpCodes.Ldc_I8, module.TypeIds[typeIndex].Value);
        EmitHelperCall(Members.Instruction(nameof(Instructions.IndirectTarget)));
        il.Emit(OpCodes.Stloc, function);
        EmitCallThrough(function, callee);
        ReturnTemporary(function);
    }

    private void EmitCallThrough(LocalBuilder function, FuncType callee)
    {
        var extra = BeginCall(callee);
        il.Emit(OpCodes.Ldloc, function);
        EmitField(OpCodes.Ldfld, Members.FunctionTarget);
        il.Emit(OpCodes.Ldloc, function);
        EmitField(OpCodes.Ldfld, Members.FunctionCode);
        il.EmitCalli(OpCodes.Calli, CallingConventions.Standard, ClrSignature.ReturnType(callee), ClrSignature.ParameterTypes(callee, typeof(object)), null);
        EndCall(callee, extra);
        EmitRefreshAfterCall();
    }

    /// <summary>
    /// Pushes the addresses of locals receiving results 1.., the callee's depth and the execution
    /// state (the arguments are already on the stack; the context comes next).
    /// </summary>
    private LocalBuilder[] BeginCall(FuncType callee)
    {
        var extra = new LocalBuilder[Math.Max(0, callee.Results.Length - 1)];
        for (var i = 0; i < extra.Length; i++)
        {
            extra[i] = RentTemporary(ClrSignature.ClrType(callee.Results[i + 1]));
            il.Emit(OpCodes.Ldloca, extra[i]);
        }
        il.Emit(OpCodes.Ldarg, depthArgument);
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Ldarg, stateArgument);
        return extra;
    }

    private void EndCall(FuncType callee, LocalBuilder[] extra)
    {
        Truncate(stack.Count - callee.Parameters.Length);
        if (callee.Results.Length > 0) Push(callee.Results[0]);
        for (var i = 0; i < extra.Length; i++)
        {
            il.Emit(OpCodes.Ldloc, extra[i]);
            Push(callee.Results[i + 1]);
            ReturnTemporary(extra[i]);
        }
    }

    // --- Parametric and variable instructions ---

    // select: [a, b, c] -> c != 0 ? a : b (Spec 4.4.4.2). Numbers go through an inlined helper the
    // JIT can turn into a conditional move; references keep a and replace it by b when c is zero.
    private void EmitSelect()
    {
        Pop();
        var valueType = Pop();
        if (valueType.IsNumeric() || valueType == ValueType.V128)
        {
            var clrType = ClrSignature.ClrType(valueType);
            EmitHelperCall(Members.StaticMethod(valueType == ValueType.V128 ? typeof(Simd) : typeof(Numerics), nameof(Numerics.Select), clrType, clrType, typeof(int)));
            return;
        }
        var condition = RentTemporary(typeof(int));
        var second = RentTemporary(ClrSignature.ClrType(valueType));
        var keep = il.DefineLabel();
        il.Emit(OpCodes.Stloc, condition);
        il.Emit(OpCodes.Stloc, second);
        il.Emit(OpCodes.Ldloc, condition);
        il.Emit(OpCodes.Brtrue, keep);
        il.Emit(OpCodes.Pop);
        il.Emit(OpCodes.Ldloc, second);
        il.MarkLabel(keep);
        ReturnTemporary(condition);
        ReturnTemporary(second);
    }

    private void EmitLocalGet(uint index)
    {
        EmitLoadLocal(index);
        Push(localTypes[index]);
    }

    private void EmitLoadLocal(uint index)
    {
        if (partLocals is not null) il.Emit(OpCodes.Ldloc, partLocals[index]);
        else if (index < type.Parameters.Length) il.Emit(OpCodes.Ldarg, (int)index);
        else il.Emit(OpCodes.Ldloc, locals[index - type.Parameters.Length]);
    }

    private void EmitLocalSet(uint index)
    {
        Pop();
        EmitStoreLocal(index);
    }

    private void EmitStoreLocal(uint index)
    {
        if (partLocals is not null) il.Emit(OpCodes.Stloc, partLocals[index]);
        else if (index < type.Parameters.Length) il.Emit(OpCodes.Starg, (int)index);
        else il.Emit(OpCodes.Stloc, locals[index - type.Parameters.Length]);
    }

    // --- Helpers ---

    private void EmitTrap(TrapCode code)
    {
        il.Emit(OpCodes.Ldc_I4, (int)code);
        EmitHelperCall(Members.TrapCreate);
        il.Emit(OpCodes.Throw);
    }

    /// <summary>Calls a runtime helper through the module's token cache (see <see cref="MemberTokens"/>).</summary>
    private void EmitHelperCall(MethodInfo method)
    {
        if (module.Tokens.TryGetCall(method, out var token)) il.Emit(OpCodes.Call, token);
        else il.Emit(OpCodes.Call, method);
    }

    /// <summary>A field instruction through the module's token cache (see <see cref="MemberTokens"/>).</summary>
    private void EmitField(OpCode opcode, FieldInfo field) => il.Emit(opcode, module.Tokens.Field(field));

    private void Push(ValueType valueType) => stack.Add(valueType);

    private ValueType Pop()
    {
        var top = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return top;
    }

    private void Truncate(int height)
    {
        if (stack.Count > height) stack.RemoveRange(height, stack.Count - height);
    }

    private LocalBuilder RentTemporary(Type clrType) =>
        freeTemporaries.TryGetValue(clrType, out var free) && free.Count > 0 ? free.Pop() : il.DeclareLocal(clrType);

    private void ReturnTemporary(LocalBuilder local)
    {
        if (!freeTemporaries.TryGetValue(local.LocalType, out var free)) freeTemporaries[local.LocalType] = free = new Stack<LocalBuilder>();
        free.Push(local);
    }
}

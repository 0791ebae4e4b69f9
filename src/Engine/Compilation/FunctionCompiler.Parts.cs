using System.Reflection.Emit;
using Sandbox.Engine.Binary;
using Sandbox.Engine.Runtime;

namespace Sandbox.Engine.Compilation;

/// <summary>An exit of a part as its caller sees it: the frame a branch out of the part reaches.</summary>
internal readonly record struct PartExit(FrameKind Kind, ValueType[] Parameters, ValueType[] Results);

/// <summary>A part whose call has been emitted and whose body is still to be compiled (<see cref="FunctionSplitter"/>).</summary>
/// <param name="Carry">The values branches out of the part carry, as (type, n-th value of that type) slots: one <c>ref</c> parameter each.</param>
internal sealed record PartJob(int DefinedIndex, SplitPart Part, MethodBuilder Method, PartExit[] Exits, (ValueType Type, int Position)[] Carry);

/// <summary>
/// Parts (<see cref="FunctionSplitter"/>): a construct of a large function compiled as a method of
/// its own, <c>static int part(locals or ref locals..., [int condition,] ref carried..., int depth,
/// ExecutionState state, Instance context)</c>.
/// </summary>
/// <remarks>
/// <para>The part works on locals of its own: those it only reads are passed by value, those it
/// writes by reference, loaded on entry and stored back on every way out (the caller passes
/// copies, temporaries, so that its own locals stay free to live in registers). A trap leaves
/// without storing back, which nothing can observe: the trap ends the whole function.</para>
/// <para>It returns 0 when the construct completes and i + 1 for a branch to its i-th exit, whose
/// values it leaves in the carried slots; the caller then branches on to that label itself (which,
/// in a part, may be one of its own exits). The room for the parts' frames is checked at the
/// function's entry (<see cref="FrameEstimate.OfParts"/>, <see cref="StackGuard"/>).</para>
/// </remarks>
internal sealed partial class FunctionCompiler
{
    private readonly SplitPart? part;
    private readonly PartJob? job;
    private Dictionary<int, ControlFrame>? exitFrames;
    private Dictionary<uint, LocalBuilder>? partLocals;

    /// <summary>A compiler for one part of a function (<see cref="CompilePart"/>).</summary>
    public FunctionCompiler(ModuleCompilation module, PartJob job)
    {
        this.module = module;
        this.job = job;
        part = job.Part;
        definedIndex = job.DefinedIndex;
        type = module.Definition.Types[module.Definition.Functions[definedIndex]];
        body = module.Definition.Codes[definedIndex];
        il = job.Method.GetILGenerator(Math.Min((part.End - part.Start) * 4 + 256, 1 << 20));
        depthArgument = part.Locals.Length + (part.Kind == Opcode.If ? 1 : 0) + job.Carry.Length;
        stateArgument = depthArgument + 1;
        contextArgument = depthArgument + 2;
        plan = module.Plans[definedIndex];
    }

    /// <summary>Compiles the part; returns the size of its IL in bytes.</summary>
    public int CompilePart()
    {
        var part = this.part!;
        var job = this.job!;
        localTypes = LocalTypes();
        partLocals = [];
        for (var i = 0; i < part.Locals.Length; i++)
        {
            var index = part.Locals[i];
            var local = il.DeclareLocal(ClrSignature.ClrType(localTypes[index]));
            partLocals[index] = local;
            il.Emit(OpCodes.Ldarg, i);
            if (part.Written[i]) SignatureStubs.EmitLoadIndirect(il, localTypes[index]);
            il.Emit(OpCodes.Stloc, local);
        }
        exitFrames = [];
        for (var i = 0; i < part.Exits.Length; i++)
        {
            var exit = job.Exits[i];
            exitFrames[part.Exits[i]] = new ControlFrame(exit.Kind, exit.Parameters, exit.Results, 0, il.DefineLabel());
        }
        bodyStart = il.DefineLabel();
        cacheBlock = il.DefineLabel();
        il.Emit(OpCodes.Br, cacheBlock);
        il.MarkLabel(bodyStart);
        if (part.Kind == Opcode.If)
        {
            il.Emit(OpCodes.Ldarg, part.Locals.Length);
            Push(ValueType.I32);
        }
        var reader = new WasmReader(body.Code.Span, body.CodeOffset) { Position = part.Start - body.CodeOffset };
        EmitInstructions(ref reader);

        var epilogue = il.DefineLabel();
        var leaves = !unreachable;
        if (leaves)
        {
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Br, epilogue);
        }
        var carryStart = part.Locals.Length + (part.Kind == Opcode.If ? 1 : 0);
        for (var i = 0; i < part.Exits.Length; i++)
        {
            var frame = exitFrames[part.Exits[i]];
            if (!frame.Targeted) continue;
            leaves = true;
            il.MarkLabel(frame.Label);
            var slots = SlotsFor(frame);
            var positions = CarryPositions(frame.BranchTypes);
            for (var v = 0; v < slots.Length; v++)
            {
                il.Emit(OpCodes.Ldarg, carryStart + Array.IndexOf(job.Carry, (frame.BranchTypes[v], positions[v])));
                il.Emit(OpCodes.Ldloc, slots[v]);
                SignatureStubs.EmitStoreIndirect(il, frame.BranchTypes[v]);
            }
            il.Emit(OpCodes.Ldc_I4, i + 1);
            il.Emit(OpCodes.Br, epilogue);
        }
        if (leaves)
        {
            il.MarkLabel(epilogue);
            var code = il.DeclareLocal(typeof(int));
            il.Emit(OpCodes.Stloc, code);
            for (var i = 0; i < part.Locals.Length; i++)
            {
                if (!part.Written[i]) continue;
                il.Emit(OpCodes.Ldarg, i);
                il.Emit(OpCodes.Ldloc, partLocals[part.Locals[i]]);
                SignatureStubs.EmitStoreIndirect(il, localTypes[part.Locals[i]]);
            }
            il.Emit(OpCodes.Ldloc, code);
            il.Emit(OpCodes.Ret);
        }
        EmitCacheBlock();
        return il.ILOffset;
    }

    /// <summary>Where a planned construct begins: a call to its part, then a branch on to wherever the part left.</summary>
    private void EmitPartCall(SplitPart outlined)
    {
        var exits = Array.ConvertAll(outlined.Exits, code => Target((uint)(code - 1)));
        var carry = new List<(ValueType Type, int Position)>();
        foreach (var exit in exits)
        {
            var positions = CarryPositions(exit.BranchTypes);
            for (var v = 0; v < positions.Length; v++)
            {
                if (!carry.Contains((exit.BranchTypes[v], positions[v]))) carry.Add((exit.BranchTypes[v], positions[v]));
            }
        }
        var isIf = outlined.Kind == Opcode.If;
        var parameters = new List<Type>();
        for (var i = 0; i < outlined.Locals.Length; i++)
        {
            var clrType = ClrSignature.ClrType(localTypes[outlined.Locals[i]]);
            parameters.Add(outlined.Written[i] ? clrType.MakeByRefType() : clrType);
        }
        if (isIf) parameters.Add(typeof(int));
        foreach (var (valueType, _) in carry) parameters.Add(ClrSignature.ClrType(valueType).MakeByRefType());
        parameters.Add(typeof(int));
        parameters.Add(typeof(ExecutionState));
        parameters.Add(typeof(Instance));
        var method = module.DefinePart(definedIndex, [.. parameters]);
        var exitViews = Array.ConvertAll(exits, exit => new PartExit(exit.Kind, exit.Parameters, exit.Results));
        module.PendingParts.Enqueue(new PartJob(definedIndex, outlined, method, exitViews, [.. carry]));

        // The function's entry checked for the room of its frame and of every chain of its parts
        // (FrameEstimate.OfParts), with a few carried values each; a part that carries more is
        // checked for here, before its frame is taken.
        if (carry.Count > FrameEstimate.CarriedPerExit * outlined.Exits.Length)
        {
            il.Emit(OpCodes.Ldarg, depthArgument);
            il.Emit(OpCodes.Ldarg, stateArgument);
            il.Emit(OpCodes.Ldc_I4, FrameEstimate.OfPart(outlined, body.MaxOperandDepth, carry.Count));
            EmitHelperCall(Members.StackCheckFrame);
        }

        LocalBuilder? condition = null;
        if (isIf)
        {
            Pop();
            condition = RentTemporary(typeof(int));
            il.Emit(OpCodes.Stloc, condition);
        }
        // Locals the part writes go by reference to copies (the caller's own stay free to live in
        // registers), the others by value.
        var copies = new LocalBuilder?[outlined.Locals.Length];
        for (var i = 0; i < copies.Length; i++)
        {
            if (!outlined.Written[i]) continue;
            copies[i] = RentTemporary(ClrSignature.ClrType(localTypes[outlined.Locals[i]]));
            EmitLoadLocal(outlined.Locals[i]);
            il.Emit(OpCodes.Stloc, copies[i]!);
        }
        for (var i = 0; i < copies.Length; i++)
        {
            if (copies[i] is { } copy) il.Emit(OpCodes.Ldloca, copy);
            else EmitLoadLocal(outlined.Locals[i]);
        }
        if (condition is not null) il.Emit(OpCodes.Ldloc, condition);
        var carried = carry.ConvertAll(slot => RentTemporary(ClrSignature.ClrType(slot.Type)));
        foreach (var slot in carried) il.Emit(OpCodes.Ldloca, slot);
        il.Emit(OpCodes.Ldarg, depthArgument);
        il.Emit(OpCodes.Ldarg, stateArgument);
        il.Emit(OpCodes.Ldarg, contextArgument);
        il.Emit(OpCodes.Call, method);
        var code = RentTemporary(typeof(int));
        il.Emit(OpCodes.Stloc, code);
        for (var i = 0; i < copies.Length; i++)
        {
            if (copies[i] is not { } copy) continue;
            il.Emit(OpCodes.Ldloc, copy);
            EmitStoreLocal(outlined.Locals[i]);
            ReturnTemporary(copy);
        }
        if (condition is not null) ReturnTemporary(condition);
        EmitRefreshAfterCall();

        // Code 0 goes on after the construct; i + 1 branches to exit i with its carried values.
        var done = il.DefineLabel();
        var labels = new Label[exits.Length + 1];
        labels[0] = done;
        for (var i = 0; i < exits.Length; i++)
        {
            if (BranchIsBare(exits[i]))
            {
                labels[i + 1] = exits[i].Label;
                exits[i].Targeted = true;
            }
            else
            {
                labels[i + 1] = il.DefineLabel();
            }
        }
        il.Emit(OpCodes.Ldloc, code);
        il.Emit(OpCodes.Switch, labels);
        il.Emit(OpCodes.Br, done);
        for (var i = 0; i < exits.Length; i++)
        {
            var exit = exits[i];
            if (labels[i + 1] == exit.Label) continue;
            il.MarkLabel(labels[i + 1]);
            var positions = CarryPositions(exit.BranchTypes);
            for (var v = 0; v < positions.Length; v++)
            {
                il.Emit(OpCodes.Ldloc, carried[carry.IndexOf((exit.BranchTypes[v], positions[v]))]);
                Push(exit.BranchTypes[v]);
            }
            EmitBranch(exit);
            Truncate(stack.Count - exit.BranchTypes.Length);
        }
        il.MarkLabel(done);
        if (outlined.EndsUnreachable)
        {
            // The part never completes (its span ends in a branch or trap): code 0 cannot come.
            EmitTrap(TrapCode.Unreachable);
            SetUnreachable();
        }
        ReturnTemporary(code);
        foreach (var slot in carried) ReturnTemporary(slot);
    }

    /// <summary>For each value a branch carries, how many values of its type come before it.</summary>
    private static int[] CarryPositions(ValueType[] types)
    {
        var positions = new int[types.Length];
        for (var i = 0; i < types.Length; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (types[j] == types[i]) positions[i]++;
            }
        }
        return positions;
    }
}

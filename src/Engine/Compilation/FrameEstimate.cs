using Sandbox.Engine.Runtime;

namespace Sandbox.Engine.Compilation;

/// <summary>
/// An upper estimate of the machine-code frame a function compiles to, known before it is compiled
/// (callers need to know whether to call it through its checking entry, <see cref="StackGuard"/>).
/// </summary>
/// <remarks>
/// <para>RyuJIT gives every IL local and every evaluation-stack entry it spills at most one slot
/// (8 bytes; 16 for a vector), and a call's outgoing stack arguments are at most its arguments.
/// Our IL locals are the Wasm parameters and locals, the branch slots and temporaries (bounded by
/// the operand stack's depth: a slot or temporary holds a value that was on it), and a few cached
/// objects; the evaluation stack is the Wasm operand stack plus a call's extra arguments. Each
/// counts twice its slot (<see cref="BytesPerSlot"/>, <see cref="VectorSlotBytes"/>), and each
/// operand of the deepest point <see cref="SlotsPerOperand"/> vector slots (measured: 24 bytes an
/// i64 operand held across a call).</para>
/// <para>The JIT also makes temporaries of its own (inlined helpers, CSE), at most a few per
/// instruction: <see cref="BytesPerCodeByte"/> covers them. The figures were checked against
/// measured frames (StackGuardTests.FrameEstimate_*).</para>
/// </remarks>
internal static class FrameEstimate
{
    /// <summary>Return address, saved frame pointer and callee-saved registers, alignment, helper spills.</summary>
    public const int FixedBytes = 512;

    /// <summary>A scalar or reference local: 8 bytes in the frame (4 for i32 and f32), counted twice.</summary>
    public const int BytesPerSlot = 16;

    /// <summary>A vector local (v128, 16 bytes), counted twice; operands count this too, whatever their type.</summary>
    public const int VectorSlotBytes = 32;

    /// <summary>The operand, a branch slot, a temporary and a call's extra argument it may become.</summary>
    public const int SlotsPerOperand = 4;

    public const int BytesPerCodeByte = 2;

    /// <summary>The estimate in bytes, saturating at <see cref="int.MaxValue"/>.</summary>
    public static int Of(FuncType type, FunctionBody body)
    {
        long bytes = FixedBytes + (long)BytesPerCodeByte * body.Code.Length;
        foreach (var p in type.Parameters) bytes += SlotBytes(p);
        foreach (var r in type.Results) bytes += SlotBytes(r);
        foreach (var run in body.Locals) bytes += run.Count * SlotBytes(run.Type);
        bytes += (16L + SlotsPerOperand * body.MaxOperandDepth) * VectorSlotBytes;
        return (int)Math.Min(bytes, int.MaxValue);
    }

    /// <summary>The values per exit a part's estimate allows for (a call carrying more checks for itself).</summary>
    public const int CarriedPerExit = 4;

    /// <summary>A part's frame (<see cref="FunctionSplitter"/>): its code, its locals and carried values, the function's deepest operand stack.</summary>
    public static int OfPart(SplitPart part, int maxOperandDepth, int carried)
    {
        long bytes = FixedBytes + (long)BytesPerCodeByte * (part.End - part.Start);
        bytes += (part.Locals.Length + (long)carried + 4) * VectorSlotBytes;
        bytes += (16L + SlotsPerOperand * maxOperandDepth) * VectorSlotBytes;
        return (int)Math.Min(bytes, int.MaxValue / 4);
    }

    /// <summary>
    /// The most the parts of one function can take at once: the largest sum of frames along a chain
    /// of parts called from parts (they are nested ranges of the body, none calls itself).
    /// </summary>
    public static long OfParts(IEnumerable<SplitPart> parts, int maxOperandDepth)
    {
        long most = 0;
        var open = new Stack<(int End, long Chain)>();
        foreach (var part in parts.OrderBy(p => p.Start).ThenByDescending(p => p.End))
        {
            while (open.Count > 0 && open.Peek().End <= part.Start) open.Pop();
            var chain = (open.Count > 0 ? open.Peek().Chain : 0) + OfPart(part, maxOperandDepth, CarriedPerExit * part.Exits.Length);
            most = Math.Max(most, chain);
            open.Push((part.End, chain));
        }
        return most;
    }

    private static int SlotBytes(ValueType type) =>
        type is ValueType.I32 or ValueType.I64 or ValueType.F32 or ValueType.F64 or ValueType.FuncRef or ValueType.ExternRef ? BytesPerSlot : VectorSlotBytes;

    /// <summary>True when the function is entered through a method that checks the stack first.</summary>
    public static bool NeedsCheckedEntry(int frameBytes) => frameBytes > StackGuard.SmallFrameBytes;
}

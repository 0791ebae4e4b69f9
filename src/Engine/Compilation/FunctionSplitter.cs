using Sandbox.Engine.Binary;
using Sandbox.Engine.Binary.Internal;

namespace Sandbox.Engine.Compilation;

/// <summary>
/// Code of a function compiled as a method of its own (a part), so that no emitted method passes
/// RyuJIT's limits for optimising it (docs/limits.md, "Functions too large for RyuJIT to
/// optimise"): past them a method is compiled without optimisation (MinOpts), every value in
/// memory, whatever <c>AggressiveOptimization</c> says.
/// </summary>
/// <param name="Start">Offset (as <see cref="WasmReader.Offset"/>) of the part's first instruction.</param>
/// <param name="End">Offset just past its last.</param>
/// <param name="Kind">
/// <see cref="Opcode.Block"/>, <see cref="Opcode.Loop"/> or <see cref="Opcode.If"/> for a construct
/// (its <c>if</c> takes the condition as an argument); <see cref="Opcode.Nop"/> for a span, a run
/// of instructions of one frame from a point where that frame's operands are none to another such
/// point, or to the frame's end when the run ends unreachable (<see cref="EndsUnreachable"/>).
/// </param>
/// <param name="Locals">The function's locals (parameters first) the part reads or writes, ascending.</param>
/// <param name="Written">Parallel to <see cref="Locals"/>: written by the part.</param>
/// <param name="Exits">
/// The labels outside the part its branches reach, each as its depth from the innermost frame
/// outside the part plus one (1: that frame), ascending. The part returns 0 when it completes, or
/// i + 1 for a branch to <c>Exits[i]</c>.
/// </param>
/// <param name="Depth">The exit a <c>return</c> is: the frames outside the part, the function's own included.</param>
internal sealed record SplitPart(int Start, int End, Opcode Kind, uint[] Locals, bool[] Written, int[] Exits, int Depth, bool EndsUnreachable);

/// <summary>
/// Chooses the parts of a function too large to be one optimised method. Only such functions are
/// split: a function under <see cref="SplitCost"/> compiles as one method, as before.
/// </summary>
/// <remarks>
/// <para>Costs are in units that follow what RyuJIT counts (IL instructions, basic blocks, local
/// references): one per instruction, more for those that become branches, calls or a bounds
/// check. A function is split past <see cref="SplitCost"/> into methods of about
/// <see cref="PartCost"/> at most, chosen bottom-up: a frame over the budget outlines its largest
/// eligible constructs, then its largest eligible spans, until it fits. Lua 5.4's luaV_execute
/// (9,211 Wasm instructions, cost 14,698) is past the threshold; the next largest function of
/// that program (cost 6,131) compiles optimised as one method.</para>
/// <para>Eligible: a block, loop or if without parameters or results, or a span (both leave the
/// operand stack as they found it, so the caller's values below stay on the IL stack across the
/// call); with at most <see cref="MaxExits"/> distinct labels outside it and
/// <see cref="MaxLocals"/> locals; at most <see cref="MaxNesting"/> frames deep. The nested
/// blocks of a switch, whose <c>br_table</c> reaches every case's label, have too many exits:
/// the cases' code, between those blocks' ends, is outlined in spans instead, and the dispatch
/// stays in one method.</para>
/// </remarks>
internal static class FunctionSplitter
{
    /// <summary>
    /// A function past this (in <see cref="Weight.Cost"/> units, where 20,000 is one of RyuJIT's
    /// limits reached) is split (<see cref="EngineOptions.SplitCost"/>).
    /// </summary>
    public const int SplitCost = 18_000;

    /// <summary>What each method of a split function is kept to (<see cref="EngineOptions.PartCost"/>).</summary>
    public const int PartCost = 17_000;

    /// <summary>
    /// The smallest code worth a call of its own, at the default <see cref="PartCost"/>: smaller
    /// parts (a few instructions for the call's arguments and dispatch) could cost more than
    /// MinOpts does. The largest candidates are taken first, so small ones only when needed.
    /// </summary>
    public const int MinPartCost = 40;

    public const int MaxExits = 16;

    public const int MaxLocals = 256;

    public const int MaxNesting = 1_000;

    /// <summary>Whether a body of this many bytes can cost more than <see cref="SplitCost"/> (the validator records cuts only for those).</summary>
    public static bool MightSplit(int codeLength, int splitCost) => (long)codeLength * Weight.MaxCostPerByte > splitCost;

    /// <summary>
    /// The parts by <see cref="SplitPart.Start"/>, longest first (a span may begin with a construct
    /// that is a part of its own); empty for a function that needs none.
    /// </summary>
    public static Dictionary<int, SplitPart[]> Plan(FunctionBody body, int splitCost, int partCost)
    {
        var cuts = body.Cuts;
        body.Cuts = null;
        if (cuts is null || !MightSplit(body.Code.Length, splitCost)) return [];
        var nodes = Scan(body, cuts, out var root);
        if (root.Total.Cost <= splitCost) return [];
        var minPartCost = Math.Min(MinPartCost, partCost / 4);
        // Budgets that small are tests' (EngineOptions.PartCost), which split all they can.
        var callsMustPay = partCost >= 4 * MinPartCost;

        // What could be a part: constructs and spans, each as (range, cost, part).
        var candidates = new List<Candidate>();
        foreach (var node in nodes)
        {
            if (node.Eligible && node.Whole.Weight.Cost >= minPartCost) candidates.Add(new Candidate(node.Whole, node.Whole.ToPart(node.Start, node.End, node.Kind, node.Frame, node.Frame)));
        }
        foreach (var node in nodes.Append(root))
        {
            foreach (var span in Spans(node.Segments, partCost))
            {
                if (span.Weight.Cost >= minPartCost) candidates.Add(new Candidate(span, span.ToPart(span.Start, span.End, Opcode.Nop, node.Frame + 1, node.Frame + 1)));
            }
        }
        // A span of one construct is that construct.
        candidates = candidates.DistinctBy(c => (c.Part.Start, c.Part.End)).OrderBy(c => c.Part.Start).ThenByDescending(c => c.Part.End).ToList();

        // Each method (the function's, then each part's in turn) takes the largest candidates
        // inside it until it fits; a part still over the budget is fitted the same way.
        var chosen = new List<SplitPart>();
        var methods = new Stack<(int Start, int End, Weight Weight)>();
        methods.Push((int.MinValue, int.MaxValue, root.Total));
        while (methods.TryPop(out var method))
        {
            var weight = method.Weight;
            var taken = new List<(int Start, int End)>();
            // Candidates that fit in one method first, largest first: taking one that does not fit
            // (to be split in turn) when one that fits would do makes a chain of nested parts.
            var inside = Inside(candidates, method.Start, method.End).OrderBy(c => c.Code.Weight.Cost > partCost).ThenByDescending(c => c.Code.Weight.Cost);
            foreach (var candidate in inside)
            {
                if (weight.Cost <= partCost) break;
                var (start, end) = (candidate.Part.Start, candidate.Part.End);
                // A part must take out well more than its call puts in: a switch's cases of a few
                // instructions each stay where they are (and their function may stay MinOpts).
                var call = CallWeight(candidate.Code);
                if ((callsMustPay && candidate.Code.Weight.Cost < 3 * call.Cost) || Overlaps(taken, start, end)) continue;
                Take(taken, start, end);
                chosen.Add(candidate.Part);
                weight = weight - candidate.Code.Weight + call;
                if (candidate.Code.Weight.Cost > partCost) methods.Push((start, end, candidate.Code.Weight));
            }
        }
        return chosen.GroupBy(p => p.Start).ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.End).ToArray());
    }

    private sealed record Candidate(Segment Code, SplitPart Part);

    /// <summary>The candidates strictly inside [start, end) (not that range itself), from the list ordered by start.</summary>
    private static IEnumerable<Candidate> Inside(List<Candidate> candidates, int start, int end)
    {
        var lo = 0;
        var hi = candidates.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (candidates[mid].Part.Start < start) lo = mid + 1;
            else hi = mid;
        }
        for (var i = lo; i < candidates.Count && candidates[i].Part.Start < end; i++)
        {
            var part = candidates[i].Part;
            if (part.End <= end && (part.Start, part.End) != (start, end)) yield return candidates[i];
        }
    }

    // The taken ranges are disjoint and ordered: [start, end) overlaps one of them exactly when it
    // overlaps the last that starts before its end.
    private static bool Overlaps(List<(int Start, int End)> taken, int start, int end)
    {
        var at = taken.BinarySearch((end, int.MinValue));
        var before = (at < 0 ? ~at : at) - 1;
        return before >= 0 && taken[before].End > start;
    }

    private static void Take(List<(int Start, int End)> taken, int start, int end)
    {
        var at = taken.BinarySearch((start, end));
        taken.Insert(at < 0 ? ~at : at, (start, end));
    }

    /// <summary>Maximal runs of eligible segments, each within <see cref="PartCost"/>.</summary>
    private static IEnumerable<Segment> Spans(List<Segment> segments, int partCost)
    {
        Segment? run = null;
        foreach (var segment in segments)
        {
            if (!segment.Eligible)
            {
                if (run is not null) yield return run;
                run = null;
                continue;
            }
            if (run?.Then(segment, partCost) is { } longer)
            {
                run = longer;
                continue;
            }
            if (run is not null) yield return run;
            run = segment.Copy();
        }
        if (run is not null) yield return run;
    }

    // The call that replaces a part: its arguments, the copies of written locals, the exits' dispatch.
    private static Weight CallWeight(Segment code) =>
        new(12 + 3 * code.Locals!.Count + code.Targets!.Count, 2 + 3 * code.Locals.Count, 1 + code.Targets.Count);

    /// <summary>
    /// An estimate of the IL a piece of code becomes, in the three measures RyuJIT limits (60 KB of
    /// IL, 20,000 IL instructions, 8,000 local references, 2,000 basic blocks: past any of them a
    /// method is compiled with MinOpts). <see cref="Cost"/> is the tightest of them, in IL
    /// instructions: 20,000 is a limit reached.
    /// </summary>
    /// <remarks>
    /// Per instruction, from the IL <see cref="FunctionCompiler"/> emits: a memory access is about
    /// 8 IL instructions, 3 local references (the cached base and length, a temporary) and a block
    /// for its bounds check; a branch ends a block; a local access is one reference. Measured here:
    /// a loop of 1,500 loads each between three local accesses was compiled with MinOpts, 2,000
    /// arithmetic steps of two local accesses were not.
    /// </remarks>
    internal readonly record struct Weight(long Il, long Refs, long Blocks)
    {
        /// <summary>No instruction's cost is more than this per byte of its encoding (a division: a block for its check).</summary>
        public const int MaxCostPerByte = 10;

        public long Cost => Math.Max(Il, Math.Max(Refs * 5 / 2, Blocks * 10));

        public static Weight operator +(Weight a, Weight b) => new(a.Il + b.Il, a.Refs + b.Refs, a.Blocks + b.Blocks);

        public static Weight operator -(Weight a, Weight b) => new(a.Il - b.Il, a.Refs - b.Refs, a.Blocks - b.Blocks);

        public static Weight Of(Opcode opcode) => opcode switch
        {
            >= Opcode.I32Load and <= Opcode.I64Store32 => new(13, 2, 2),
            Opcode.Call => new(6, 2, 0),
            Opcode.CallIndirect => new(12, 3, 1),
            Opcode.GlobalGet or Opcode.GlobalSet or Opcode.TableGet or Opcode.TableSet => new(3, 1, 0),
            Opcode.I32DivS or Opcode.I32DivU or Opcode.I32RemS or Opcode.I32RemU
                or Opcode.I64DivS or Opcode.I64DivU or Opcode.I64RemS or Opcode.I64RemU => new(6, 1, 1),
            >= Opcode.I32TruncF32S and <= Opcode.I64TruncF64U => new(8, 1, 1),
            Opcode.Select or Opcode.SelectTyped or Opcode.MemorySize or Opcode.MemoryGrow => new(4, 2, 0),
            Opcode.PrefixMisc or Opcode.PrefixAtomic or Opcode.PrefixSimd => new(8, 3, 1),
            _ => new(1, 0, 0),
        };
    }

    /// <summary>
    /// Code of one frame between cuts, or a frame's whole contents: its cost, the frames outside it
    /// that it branches to, the locals it uses.
    /// </summary>
    private sealed class Segment(int start, int limit)
    {
        public int Start { get; } = start;

        public int End { get; set; }

        /// <summary>Branch targets at this frame index or outside it are exits.</summary>
        public int Limit { get; } = limit;

        public Weight Weight { get; set; }

        public List<Node>? Children { get; set; }

        /// <summary>Frames outside the code that its branches target; null once past <see cref="MaxExits"/>.</summary>
        // Sets are made on first use: a body of 100,000 nested blocks has as many segments, most
        // of them without a branch or a local.
        private static readonly HashSet<int> NoTargets = [];
        private static readonly HashSet<uint> NoLocals = [];
        private HashSet<int>? targets;
        private HashSet<uint>? locals;
        private HashSet<uint>? writes;
        private bool manyTargets;
        private bool manyLocals;

        public HashSet<int>? Targets => manyTargets ? null : targets ?? NoTargets;

        public HashSet<uint>? Locals => manyLocals ? null : locals ?? NoLocals;

        public HashSet<uint>? Writes => manyLocals ? null : writes ?? NoLocals;

        public bool StartsAtCut { get; set; }

        public bool EndsAtCut { get; set; }

        public bool EndsUnreachable { get; set; }

        public bool Eligible => StartsAtCut && EndsAtCut && Targets is not null && Locals is not null && End > Start;

        public void Target(int frame)
        {
            if (frame > Limit || manyTargets) return;
            (targets ??= []).Add(frame);
            if (targets.Count > MaxExits) TooManyTargets();
        }

        public void Use(uint local, bool write)
        {
            if (manyLocals) return;
            (locals ??= []).Add(local);
            if (write) (writes ??= []).Add(local);
            if (locals.Count > MaxLocals) TooManyLocals();
        }

        private void TooManyTargets()
        {
            manyTargets = true;
            targets = null;
        }

        private void TooManyLocals()
        {
            manyLocals = true;
            locals = writes = null;
        }

        /// <summary>Takes in everything of <paramref name="other"/> (code inside this one, or following it).</summary>
        public void Absorb(Segment other)
        {
            Weight += other.Weight;
            if (other.Targets is null) TooManyTargets();
            else foreach (var target in other.Targets) Target(target);
            if (other.Locals is null)
            {
                TooManyLocals();
            }
            else
            {
                foreach (var local in other.Locals) Use(local, other.Writes!.Contains(local));
            }
        }

        public Segment Copy()
        {
            var copy = new Segment(Start, Limit) { End = End, StartsAtCut = StartsAtCut, EndsAtCut = EndsAtCut, EndsUnreachable = EndsUnreachable };
            copy.Absorb(this);
            return copy;
        }

        /// <summary>This run followed by the next segment, or null when that would pass the limits (or this run ends unreachable).</summary>
        public Segment? Then(Segment next, int partCost)
        {
            if (EndsUnreachable || (Weight + next.Weight).Cost > partCost) return null;
            var merged = Copy();
            merged.Absorb(next);
            if (merged.Targets is null || merged.Locals is null) return null;
            merged.End = next.End;
            merged.EndsAtCut = next.EndsAtCut;
            merged.EndsUnreachable = next.EndsUnreachable;
            return merged;
        }

        public SplitPart ToPart(int start, int end, Opcode kind, int frame, int depth)
        {
            var locals = Locals!.Order().ToArray();
            var written = Array.ConvertAll(locals, Writes!.Contains);
            var exits = Targets!.Select(target => frame - target).Order().ToArray();
            return new SplitPart(start, end, kind, locals, written, exits, depth, kind == Opcode.Nop && EndsUnreachable);
        }
    }

    /// <summary>A block, loop or if (or the function's body, the root): its segments, split at the validator's cuts.</summary>
    private sealed class Node(int start, Opcode kind, bool isVoid, int frame)
    {
        public int Start { get; } = start;

        public int End { get; set; }

        public Opcode Kind { get; } = kind;

        /// <summary>This construct's index among the function's frames (the function's own is 0).</summary>
        public int Frame { get; } = frame;

        public bool Void { get; } = isVoid;

        /// <summary>The construct's own instructions (block, else, end).</summary>
        public Weight Own { get; set; } = new(3, 0, 2);

        public List<Segment> Segments { get; } = [];

        /// <summary>The construct as its parent sees it, once closed: exits are frames outside it.</summary>
        public Segment Whole { get; private set; } = null!;

        /// <summary>The cost of everything inside, as scanned (no parts).</summary>
        public Weight Total { get; set; }

        public bool Eligible => Void && Frame <= MaxNesting && Whole.Targets is not null && Whole.Locals is not null;

        public Segment Current => Segments[^1];

        public void Begin(int offset) => Segments.Add(new Segment(offset, Frame));

        public void Close(int end)
        {
            End = end;
            Whole = new Segment(Start, Frame - 1) { End = end, Weight = Own };
            foreach (var segment in Segments) Whole.Absorb(segment);
            Total = Whole.Weight;
        }
    }

    /// <summary>The function's constructs in the order they close, and the function itself as <paramref name="root"/>.</summary>
    private static List<Node> Scan(FunctionBody body, int[] cuts, out Node root)
    {
        var closed = new List<Node>();
        root = new Node(body.CodeOffset, Opcode.Block, isVoid: false, frame: 0) { Own = default };
        root.Begin(body.CodeOffset);
        var open = new List<Node> { root };
        var reader = new WasmReader(body.Code.Span, body.CodeOffset);
        var nextCut = 0;
        while (open.Count > 0)
        {
            var start = reader.Offset;
            while (nextCut < cuts.Length && Decode(cuts[nextCut]) < start) nextCut++;
            var cut = nextCut < cuts.Length && Decode(cuts[nextCut]) == start ? cuts[nextCut] : (int?)null;
            var node = open[^1];
            var segment = node.Current;
            if (cut >= 0)
            {
                if (segment.Start == start)
                {
                    segment.StartsAtCut = true;
                }
                else
                {
                    segment.End = start;
                    segment.EndsAtCut = true;
                    node.Begin(start);
                    segment = node.Current;
                    segment.StartsAtCut = true;
                }
            }
            var opcode = (Opcode)reader.ReadByte();
            switch (opcode)
            {
                case Opcode.Block or Opcode.Loop or Opcode.If:
                    var blockType = reader.ReadS33();
                    var child = new Node(start, opcode, blockType == -64, open.Count);
                    child.Begin(reader.Offset);
                    open.Add(child);
                    continue;
                case Opcode.Else or Opcode.End:
                    segment.End = start;
                    segment.EndsAtCut = cut is not null;
                    segment.EndsUnreachable = cut < 0;
                    if (opcode == Opcode.Else)
                    {
                        node.Begin(reader.Offset);
                        continue;
                    }
                    open.RemoveAt(open.Count - 1);
                    node.Close(reader.Offset);
                    if (open.Count == 0) continue;
                    closed.Add(node);
                    var parent = open[^1].Current;
                    (parent.Children ??= []).Add(node);
                    parent.Absorb(node.Whole);
                    continue;
                case Opcode.Br or Opcode.BrIf:
                    segment.Weight += new Weight(3, 1, 1);
                    segment.Target(open.Count - 1 - (int)reader.ReadU32());
                    continue;
                case Opcode.BrTable:
                    var count = reader.ReadU32();
                    segment.Weight += new Weight(3 + count, 1, 1 + count / 8);
                    for (var i = 0u; i <= count; i++) segment.Target(open.Count - 1 - (int)reader.ReadU32());
                    continue;
                case Opcode.Return:
                    segment.Weight += new Weight(3, 1, 1);
                    segment.Target(0);
                    continue;
                case Opcode.LocalGet or Opcode.LocalSet or Opcode.LocalTee:
                    segment.Weight += new Weight(1, 1, 0);
                    segment.Use(reader.ReadU32(), opcode != Opcode.LocalGet);
                    continue;
                default:
                    segment.Weight += Weight.Of(opcode);
                    break;
            }
            InstructionSkipper.SkipImmediates(opcode, ref reader, start);
        }
        return closed;
    }

    private static int Decode(int cut) => cut >= 0 ? cut : ~cut;
}

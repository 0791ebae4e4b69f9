using System.Reflection;
using System.Reflection.Emit;
using Sandbox.Engine.Runtime;

namespace Sandbox.Engine.Compilation;

/// <summary>What every function's compiler needs to know about the module being compiled.</summary>
internal sealed class ModuleCompilation(ModuleDefinition definition, ModuleBuilder builder, MethodBuilder[] bodies, MethodBuilder[] entries, int[] frameBytes, TypeId[] typeIds, bool consumeFuel, Dictionary<int, SplitPart[]>[] plans, Func<TypeBuilder> nextType)
{
    private int parts;

    /// <summary>Each defined function's parts (<see cref="FunctionSplitter"/>), most of them empty.</summary>
    public Dictionary<int, SplitPart[]>[] Plans { get; } = plans;

    /// <summary>Parts whose calls are emitted and whose bodies are not yet compiled.</summary>
    public Queue<PartJob> PendingParts { get; } = new();

    /// <summary>Defines a part's method (<c>wasm-part-</c>: not a <see cref="Backtraces.MethodPrefix"/> name, so backtraces show the function once).</summary>
    public MethodBuilder DefinePart(int definedIndex, Type[] parameters)
    {
        var method = nextType().DefineMethod($"{PartPrefix}{Definition.ImportedFunctionCount + definedIndex}-{parts++}", MethodAttributes.Public | MethodAttributes.Static, typeof(int), parameters);
        // Never inlined back into its caller: that would undo the split.
        method.SetImplementationFlags(MethodImplAttributes.AggressiveOptimization | MethodImplAttributes.NoInlining);
        PartTokens.Add(method.MetadataToken);
        return method;
    }

    public const string PartPrefix = "wasm-part-";

    /// <summary>
    /// The metadata token of every part, in the order defined: a function's parts are defined while
    /// it and its parts compile, so they are one run (<see cref="ModuleCompiler"/> keeps where each starts).
    /// </summary>
    public List<int> PartTokens { get; } = [];

    /// <summary>
    /// The defined functions each function calls directly, in call-site order, its parts' calls
    /// included: one run per function, as <see cref="PartTokens"/>. The order the background JIT
    /// takes methods in (<see cref="BackgroundJit"/>).
    /// </summary>
    public List<int> Callees { get; } = [];

    /// <summary>Emit fuel accounting (EngineOptions.ConsumeFuel).</summary>
    public bool ConsumeFuel { get; } = consumeFuel;

    public ModuleDefinition Definition { get; } = definition;

    /// <summary>The method holding each defined function's body, parallel to <see cref="ModuleDefinition.Functions"/>.</summary>
    public MethodBuilder[] Bodies { get; } = bodies;

    /// <summary>The method each defined function is called through: its body, or for a large frame its checking entry.</summary>
    public MethodBuilder[] Entries { get; } = entries;

    /// <summary>Each defined function's frame estimate in bytes (<see cref="FrameEstimate"/>).</summary>
    public int[] FrameBytes { get; } = frameBytes;

    /// <summary>
    /// The metadata token of each defined function's entry: a <c>call</c> emitted with it skips
    /// Reflection.Emit's member lookup. Every such method has at least the depth, state and context
    /// parameters, so the emitter's stack estimate (a call as height-neutral) only overestimates.
    /// </summary>
    public int[] MethodTokens { get; } = Array.ConvertAll(entries, method => method.MetadataToken);

    /// <summary>Canonical id of each type in the type section.</summary>
    public TypeId[] TypeIds { get; } = typeIds;

    public FuncType[] FunctionTypes { get; } = Enumerable.Range(0, definition.TotalFunctionCount).Select(i => definition.GetFunctionType((uint)i)).ToArray();

    public GlobalType[] GlobalTypes { get; } = definition.GlobalTypes.ToArray();

    public TableType[] TableTypes { get; } = definition.TableTypes.ToArray();

    public MemoryType[] MemoryTypes { get; } = definition.MemoryTypes.ToArray();

    /// <summary>Tokens of the runtime members the functions reference, looked up once per module.</summary>
    public MemberTokens Tokens { get; } = new(builder);
}

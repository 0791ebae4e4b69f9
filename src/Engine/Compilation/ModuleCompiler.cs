using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Sandbox.Engine.Runtime;

namespace Sandbox.Engine.Compilation;

/// <summary>
/// Compiles a validated module to IL: one static method per defined function in a collectible
/// assembly (<see cref="AssemblyBuilderAccess.RunAndCollect"/>), so a module no longer referenced
/// has its code unloaded. Methods are marked AggressiveOptimization: RyuJIT compiles them fully
/// optimized on first call, skipping tier 0.
/// </summary>
/// <remarks>
/// <para>A function whose frame is large (<see cref="FrameEstimate.NeedsCheckedEntry"/>) gets a
/// second, small method, its entry, that checks the stack's room before calling the body
/// (<see cref="StackGuard"/>); calls, tables and exports all go through the entry.</para>
/// <para>The methods are spread over types of at most <see cref="MethodsPerType"/>: the runtime
/// loads no type with 65,536 methods or more (TypeLoadException), and modules may have
/// <see cref="EngineLimits.MaxFunctions"/> functions.</para>
/// </remarks>
internal static class ModuleCompiler
{
    /// <summary>Methods per generated type, well under the runtime's 16-bit method count per type.</summary>
    public const int MethodsPerType = 32_768;

    /// <summary>The entry method of a large-frame function: not a <see cref="Backtraces.MethodPrefix"/> name, so backtraces skip it.</summary>
    public const string EntryPrefix = "wasm-entry-";

    private static int counter;

    /// <summary>Compiles the module; <paramref name="jitOrder"/> is its methods' tokens in the order a run is likely to call them (<see cref="JitOrder"/>), or empty without <see cref="EngineOptions.BackgroundCompilation"/>.</summary>
    public static CompiledCode Compile(ModuleDefinition definition, Module owner, out int[] jitOrder)
    {
        var timings = CompilationTimings.Current;
        var start = timings?.Clock() ?? 0;
        var name = new AssemblyName($"Sandbox.Wasm.Module{Interlocked.Increment(ref counter)}");
        var assembly = AssemblyBuilder.DefineDynamicAssembly(name, AssemblyBuilderAccess.RunAndCollect);
        assembly.SetCustomAttribute(IgnoresAccessChecks());
        var moduleBuilder = assembly.DefineDynamicModule(name.Name!);
        var types = new List<TypeBuilder>();
        var inType = MethodsPerType;
        TypeBuilder NextType()
        {
            if (inType == MethodsPerType)
            {
                types.Add(moduleBuilder.DefineType($"WasmModule{types.Count}", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed));
                inType = 0;
            }
            inType++;
            return types[^1];
        }

        var imported = definition.ImportedFunctionCount;
        var bodyFlags = owner.Options.CompleteBacktraces
            ? MethodImplAttributes.AggressiveOptimization | MethodImplAttributes.NoInlining
            : MethodImplAttributes.AggressiveOptimization;
        var bodies = new MethodBuilder[definition.Functions.Length];
        var entries = new MethodBuilder[definition.Functions.Length];
        var frames = new int[definition.Functions.Length];
        var plans = Array.ConvertAll(definition.Codes, code => FunctionSplitter.Plan(code, owner.Options.SplitCost, owner.Options.PartCost));
        for (var i = 0; i < bodies.Length; i++)
        {
            var type = definition.Types[definition.Functions[i]];
            var returnType = ClrSignature.ReturnType(type);
            var parameters = ClrSignature.ParameterTypes(type, typeof(Instance));
            frames[i] = FrameEstimate.Of(type, definition.Codes[i]);
            if (plans[i].Count > 0)
            {
                // A split function's entry checks for its parts' frames too: parts check nothing.
                var parts = FrameEstimate.OfParts(plans[i].Values.SelectMany(p => p), definition.Codes[i].MaxOperandDepth);
                frames[i] = (int)Math.Min(frames[i] + parts, int.MaxValue);
            }
            var checkedEntry = FrameEstimate.NeedsCheckedEntry(frames[i]);
            bodies[i] = NextType().DefineMethod(Backtraces.MethodPrefix + (imported + i), MethodAttributes.Public | MethodAttributes.Static, returnType, parameters);
            // The entry must not have the body inlined into it: the point is to check before that frame exists.
            bodies[i].SetImplementationFlags(checkedEntry ? MethodImplAttributes.AggressiveOptimization | MethodImplAttributes.NoInlining : bodyFlags);
            entries[i] = bodies[i];
            if (checkedEntry)
            {
                entries[i] = NextType().DefineMethod(EntryPrefix + (imported + i), MethodAttributes.Public | MethodAttributes.Static, returnType, parameters);
                entries[i].SetImplementationFlags(MethodImplAttributes.AggressiveOptimization);
            }
        }
        var typeIds = Array.ConvertAll(definition.Types, TypeRegistry.Acquire);
        var compilation = new ModuleCompilation(definition, moduleBuilder, bodies, entries, frames, typeIds, owner.Options.ConsumeFuel, plans, NextType);
        var size = new CodeSize();
        var calleeStarts = new int[bodies.Length + 1];
        var partStarts = new int[bodies.Length + 1];
        for (var i = 0; i < bodies.Length; i++)
        {
            calleeStarts[i] = compilation.Callees.Count;
            partStarts[i] = compilation.PartTokens.Count;
            size.AddMethod(new FunctionCompiler(compilation, i).Compile(), CountLocals(definition.Codes[i]));
            if (entries[i] != bodies[i]) size.AddMethod(EmitCheckedEntry(compilation, i), 0);
            // A part's calls to parts of its own are queued while it compiles.
            while (compilation.PendingParts.TryDequeue(out var job))
            {
                size.AddMethod(new FunctionCompiler(compilation, job).CompilePart(), job.Part.Locals.Length);
            }
        }

        calleeStarts[^1] = compilation.Callees.Count;
        partStarts[^1] = compilation.PartTokens.Count;
        jitOrder = owner.Options.BackgroundCompilation ? JitOrder(compilation, calleeStarts, partStarts) : [];

        var emitted = timings?.Clock() ?? 0;
        var created = new Type[types.Count];
        for (var i = 0; i < created.Length; i++)
        {
            created[i] = types[i].CreateType();
            Backtraces.Register(created[i], owner);
        }
        // The created methods keep their builders' methodDef tokens: resolving handles by token
        // skips materialising a MethodInfo per method and looking each up by name.
        var entryPoints = new nint[bodies.Length];
        var handles = created.Length > 0 ? created[0].Module.ModuleHandle : default;
        for (var i = 0; i < bodies.Length; i++)
        {
            entryPoints[i] = handles.ResolveMethodHandle(compilation.MethodTokens[i]).GetFunctionPointer();
        }
        if (timings is not null)
        {
            var end = timings.Clock();
            timings.Emit += emitted - start;
            timings.CreateType += end - emitted;
        }
        return new CompiledCode(created, entryPoints, typeIds, size.Bytes);
    }

    /// <summary>
    /// Every method's token, in the order a run is likely to first call them: the call graph of
    /// the start function depth first, in call-site order, then those of the exported functions
    /// (<c>_start</c> and <c>_initialize</c> first, as the WASI ABI calls them), then every other
    /// function in index order. A function's body comes first, then its parts, then its checking
    /// entry if it has one.
    /// </summary>
    private static int[] JitOrder(ModuleCompilation compilation, int[] calleeStarts, int[] partStarts)
    {
        var definition = compilation.Definition;
        var imported = definition.ImportedFunctionCount;
        var count = compilation.Bodies.Length;
        var callees = compilation.Callees;
        var order = new List<int>(count + compilation.PartTokens.Count);
        var visited = new bool[count];
        var pending = new Stack<(int Function, int NextCallee)>();

        if (definition.StartFunction is uint start) Visit((int)start - imported);
        foreach (var name in (ReadOnlySpan<string>)["_start", "_initialize"])
        {
            foreach (var export in definition.Exports)
            {
                if (export.Kind == ExternalKind.Function && export.Name == name) Visit((int)export.Index - imported);
            }
        }
        foreach (var export in definition.Exports)
        {
            if (export.Kind == ExternalKind.Function) Visit((int)export.Index - imported);
        }
        for (var i = 0; i < count; i++) Visit(i);
        return [.. order];

        // Depth first without recursion: call chains may be a million functions long.
        void Visit(int root)
        {
            if (root < 0 || visited[root]) return;
            Add(root);
            while (pending.TryPop(out var at))
            {
                var (function, next) = at;
                while (next < calleeStarts[function + 1] && visited[callees[next]]) next++;
                if (next == calleeStarts[function + 1]) continue;
                pending.Push((function, next + 1));
                Add(callees[next]);
            }
        }

        void Add(int function)
        {
            visited[function] = true;
            order.Add(compilation.Bodies[function].MetadataToken);
            for (var p = partStarts[function]; p < partStarts[function + 1]; p++) order.Add(compilation.PartTokens[p]);
            if (compilation.Entries[function] != compilation.Bodies[function]) order.Add(compilation.MethodTokens[function]);
            pending.Push((function, calleeStarts[function]));
        }
    }

    // static R entry(args..., ref extra results..., int depth, ExecutionState state, Instance context)
    // {
    //     StackGuard.CheckFrame(depth, state, frameBytes);   // before the body's frame is taken
    //     return body(args..., depth, state, context);
    // }
    private static long CountLocals(FunctionBody body)
    {
        long count = 0;
        foreach (var run in body.Locals) count += run.Count;
        return count;
    }

    private static int EmitCheckedEntry(ModuleCompilation compilation, int definedIndex)
    {
        var type = compilation.Definition.Types[compilation.Definition.Functions[definedIndex]];
        var il = compilation.Entries[definedIndex].GetILGenerator();
        var arguments = type.Parameters.Length + Math.Max(0, type.Results.Length - 1) + 3;
        var depth = arguments - 3;
        il.Emit(OpCodes.Ldarg, depth);
        il.Emit(OpCodes.Ldarg, depth + 1);
        il.Emit(OpCodes.Ldc_I4, compilation.FrameBytes[definedIndex]);
        if (compilation.Tokens.TryGetCall(Members.StackCheckFrame, out var check)) il.Emit(OpCodes.Call, check);
        else il.Emit(OpCodes.Call, Members.StackCheckFrame);
        for (var i = 0; i < arguments; i++) il.Emit(OpCodes.Ldarg, i);
        il.Emit(OpCodes.Call, compilation.Bodies[definedIndex]);
        il.Emit(OpCodes.Ret);
        return il.ILOffset;
    }

    /// <summary>Lets generated code use the engine's internal members (see <see cref="IgnoresAccessChecksToAttribute"/>).</summary>
    public static CustomAttributeBuilder IgnoresAccessChecks() =>
        new(typeof(IgnoresAccessChecksToAttribute).GetConstructor([typeof(string)])!, [typeof(ModuleCompiler).Assembly.GetName().Name!]);
}

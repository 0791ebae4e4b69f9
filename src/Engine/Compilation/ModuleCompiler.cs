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
internal static class ModuleCompiler
{
    private static int counter;

    public static CompiledCode Compile(ModuleDefinition definition, Module owner)
    {
        var timings = CompilationTimings.Current;
        var start = timings?.Clock() ?? 0;
        var name = new AssemblyName($"Sandbox.Wasm.Module{Interlocked.Increment(ref counter)}");
        var assembly = AssemblyBuilder.DefineDynamicAssembly(name, AssemblyBuilderAccess.RunAndCollect);
        assembly.SetCustomAttribute(IgnoresAccessChecks());
        var moduleBuilder = assembly.DefineDynamicModule(name.Name!);
        var builder = moduleBuilder.DefineType("WasmModule", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);

        var imported = definition.ImportedFunctionCount;
        var methods = new MethodBuilder[definition.Functions.Length];
        for (var i = 0; i < methods.Length; i++)
        {
            var type = definition.Types[definition.Functions[i]];
            methods[i] = builder.DefineMethod(Backtraces.MethodPrefix + (imported + i), MethodAttributes.Public | MethodAttributes.Static,
                ClrSignature.ReturnType(type), ClrSignature.ParameterTypes(type, typeof(Instance)));
            methods[i].SetImplementationFlags(owner.Options.CompleteBacktraces
                ? MethodImplAttributes.AggressiveOptimization | MethodImplAttributes.NoInlining
                : MethodImplAttributes.AggressiveOptimization);
        }
        var compilation = new ModuleCompilation(definition, moduleBuilder, methods, definition.Types.Select(TypeRegistry.GetId).ToArray(), owner.Options.ConsumeFuel);
        for (var i = 0; i < methods.Length; i++) new FunctionCompiler(compilation, i).Compile();

        var emitted = timings?.Clock() ?? 0;
        var compiled = builder.CreateType();
        Backtraces.Register(compiled, owner);
        // The created methods keep their builders' methodDef tokens: resolving handles by token
        // skips materialising a MethodInfo per method and looking each up by name.
        var handles = compiled.Module.ModuleHandle;
        var entryPoints = new nint[methods.Length];
        for (var i = 0; i < methods.Length; i++)
        {
            entryPoints[i] = handles.ResolveMethodHandle(compilation.MethodTokens[i]).GetFunctionPointer();
        }
        if (timings is not null)
        {
            var end = timings.Clock();
            timings.Emit += emitted - start;
            timings.CreateType += end - emitted;
        }
        return new CompiledCode(compiled, entryPoints);
    }

    /// <summary>Lets generated code use the engine's internal members (see <see cref="IgnoresAccessChecksToAttribute"/>).</summary>
    public static CustomAttributeBuilder IgnoresAccessChecks() =>
        new(typeof(IgnoresAccessChecksToAttribute).GetConstructor([typeof(string)])!, [typeof(ModuleCompiler).Assembly.GetName().Name!]);
}

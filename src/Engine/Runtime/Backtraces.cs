using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// Builds Wasm backtraces from a trap's CLR stack trace: frames of generated methods are mapped
/// back to (module, function index) through the registry of compiled types.
/// </summary>
internal static class Backtraces
{
    /// <summary>Generated method names: this prefix and the function index.</summary>
    public const string MethodPrefix = "wasm-function-";

    // Weakly: a type keeps its value alive, and the background JIT holds types while it compiles
    // their methods; the module must still be free to go (BackgroundJit). A frame being captured
    // is running code whose instance holds the module.
    private static readonly ConditionalWeakTable<Type, WeakReference<Module>> Modules = new();

    public static void Register(Type compiledType, Module module) => Modules.AddOrUpdate(compiledType, new WeakReference<Module>(module));

    public static IReadOnlyList<WasmFrame> Capture(Exception exception)
    {
        var frames = new List<WasmFrame>();
        foreach (var frame in new StackTrace(exception, fNeedFileInfo: false).GetFrames())
        {
            var method = frame.GetMethod();
            if (method?.DeclaringType is not { } type || !Modules.TryGetValue(type, out var owner) || !owner.TryGetTarget(out var module)) continue;
            if (!method.Name.StartsWith(MethodPrefix, StringComparison.Ordinal)) continue;
            if (!uint.TryParse(method.Name.AsSpan(MethodPrefix.Length), out var index)) continue;
            frames.Add(new WasmFrame(module.Definition.Names?.ModuleName, index, module.Definition.GetFunctionName(index)));
        }
        return frames;
    }
}

using System.Diagnostics;

namespace Sandbox.Engine.Compilation;

/// <summary>
/// Where <see cref="ModuleCompiler"/> spends its time, for the compilation benchmark
/// (bench/compile): set <see cref="Current"/> on a thread and every module compiled on that thread
/// adds its IL emission and type creation (<c>TypeBuilder.CreateType</c> plus entry point lookup)
/// to it. Left null, nothing is measured.
/// </summary>
internal sealed class CompilationTimings
{
    [ThreadStatic]
    public static CompilationTimings? Current;

    /// <summary>Defining the methods and emitting their IL, in <see cref="Stopwatch"/> ticks.</summary>
    public long EmitTicks;

    /// <summary>Creating the type and taking each method's entry point, in <see cref="Stopwatch"/> ticks.</summary>
    public long CreateTypeTicks;
}

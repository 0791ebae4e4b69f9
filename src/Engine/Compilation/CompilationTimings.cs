using System.Diagnostics;

namespace Sandbox.Engine.Compilation;

/// <summary>
/// Where <see cref="ModuleCompiler"/> spends its time, for the compilation benchmark
/// (bench/compile): set <see cref="Current"/> on a thread and every module compiled on that thread
/// adds its IL emission and type creation (<c>TypeBuilder.CreateType</c> plus entry point lookup)
/// to it, read with <see cref="Clock"/>. Left null, nothing is measured.
/// </summary>
internal sealed class CompilationTimings
{
    [ThreadStatic]
    public static CompilationTimings? Current;

    /// <summary>The clock read before and after each phase: wall time by default; the benchmark passes the thread's CPU time.</summary>
    public Func<long> Clock { get; init; } = Stopwatch.GetTimestamp;

    /// <summary>Defining the methods and emitting their IL, in <see cref="Clock"/> units.</summary>
    public long Emit { get; set; }

    /// <summary>Creating the type and taking each method's entry point, in <see cref="Clock"/> units.</summary>
    public long CreateType { get; set; }
}

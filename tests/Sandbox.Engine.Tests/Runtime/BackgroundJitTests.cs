using System.Runtime;
using System.Runtime.CompilerServices;
using Sandbox.Engine.Compilation;
using Sandbox.Engine.Tests.Spec;
using Sandbox.Engine.Tests.Support;
using Sandbox.Engine.Validation;

namespace Sandbox.Engine.Tests.Runtime;

/// <summary>
/// Issue 11's large programs: a module's methods are compiled to machine code on background
/// threads (<see cref="BackgroundJit"/>), in the order a run is likely to call them, so calls do
/// not wait for the JIT; and a module dropped meanwhile still unloads.
/// </summary>
[Collection(nameof(TypeRegistryCollection))]
public class BackgroundJitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [WatFact]
    public void JitOrder_StartExportsThenTheRest_EachCallGraphDepthFirstInCallSiteOrder()
    {
        // Defined functions (index 1 on: one import): $a calls $c then $b (and $a again, a cycle),
        // $b calls $d; the start function $s calls $b; $x is called by nobody and not exported.
        var module = Module.FromBytes(Wat.ToWasm("""
            (module
              (import "env" "h" (func $h))
              (func $a (export "_start") (call $c) (call $b) (call $a) (call $h))
              (func $b (call $d))
              (func $x)
              (func $c (call $a))
              (func $d (export "other"))
              (func $s (call $b))
              (start $s))
            """));

        var code = ModuleCompiler.Compile(module.Definition, module, out var order);

        // $s, $b, $d (start); $a, $c (_start; $b is done); "other" is done; then $x.
        Assert.Equal(["wasm-function-6", "wasm-function-2", "wasm-function-5", "wasm-function-1", "wasm-function-4", "wasm-function-3"], Names(code, order));
    }

    [WatFact]
    public void JitOrder_PartsAndCheckingEntries_FollowTheirFunctionsBody()
    {
        // $big is split into parts; $wide has 1,000 i64 locals, a frame past
        // StackGuard.SmallFrameBytes, so it is called through a checking entry (and not split:
        // FunctionSplitter.MaxLocals).
        var module = Module.FromBytes(Wat.ToWasm($$"""
            (module
              (func $big (export "f") (param i32) (result i32)
                (block (br_if 0 (local.get 0)) (call $leaf))
                (block (br_if 0 (i32.eqz (local.get 0))) (call $leaf))
                (local.get 0))
              (func $leaf)
              (func $wide (export "g") (local {{string.Join(" ", Enumerable.Repeat("i64", 1_000))}})))
            """), SpecExecutionTests.SplitEverywhere);
        // Compiling takes the validator's cuts (FunctionSplitter.Plan): validate again for a second compile.
        Validator.Validate(module.Definition, module.Options.Features, module.Options.SplitCost);

        var code = ModuleCompiler.Compile(module.Definition, module, out var order);

        var names = Names(code, order);
        var parts = names.Skip(1).TakeWhile(name => name.StartsWith(ModuleCompilation.PartPrefix + "0-", StringComparison.Ordinal)).Count();
        Assert.True(parts >= 2, string.Join(", ", names));
        Assert.Equal(["wasm-function-0", .. names.Skip(1).Take(parts), "wasm-function-1", "wasm-function-2", ModuleCompiler.EntryPrefix + "2"], names);
        // Every method of the module, each once.
        var methods = code.Types.SelectMany(type => type.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)).Select(method => method.Name);
        Assert.Equal(methods.Order(), names.Order());
    }

    [WatFact]
    public async Task BackgroundCompilation_Finished_CallsCompileNothingOnTheirThread()
    {
        var wasm = Wat.ToWasm(CallsThirtyFunctions());
        var lazy = JitsDuringCalls(Module.FromBytes(wasm, new EngineOptions { BackgroundCompilation = false }));

        var module = Module.FromBytes(wasm);
        Assert.True(await module.Code.Background!.WaitAsync(Patience), "the job was dropped");
        var background = JitsDuringCalls(module);

        // Without it each of the 30 functions is compiled on its first call, on the caller's thread.
        Assert.True(lazy >= 30, $"{lazy} methods compiled during the lazy module's calls");
        Assert.Equal(0, background);
    }

    [Fact]
    public void BackgroundCompilation_Off_QueuesNothing()
    {
        var module = Module.FromBytes(Functions(3), new EngineOptions { BackgroundCompilation = false });

        Assert.Null(module.Code.Background);
    }

    [Fact]
    public async Task Module_DroppedWhileItsMethodsAreQueued_UnloadsAndItsJobEnds()
    {
        // Functions long enough that the worker is nearly always inside one's compile (where it
        // holds their type), and enough of them that it is still at them when the module goes.
        var (code, job) = CompileAndDrop(40);

        // The worker lets go of the type after the method in hand, which a loaded machine can make slow.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (code.IsAlive && waited.Elapsed < Patience / 2)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(20);
        }

        Assert.False(code.IsAlive, "the module's code stayed loaded");
        Assert.False(await job.WaitAsync(Patience), "the job ran to the end: the module was not dropped while queued");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Code, Task<bool> Job) CompileAndDrop(int functions)
    {
        var prepared = BackgroundJit.Prepared;
        var module = Module.FromBytes(Functions(functions, bodyBytes: 30_000));
        // Dropped once the worker is at its methods, not before it has started on them.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (BackgroundJit.Prepared < prepared + 2 && waited.Elapsed < Patience) Thread.Sleep(1);
        return (new WeakReference(module.Code.Types[0]), module.Code.Background!);
    }

    /// <summary>Methods RyuJIT compiled on the calling thread while <c>run</c> called the 30
    /// functions, read by a host function on that thread before and after.</summary>
    private static long JitsDuringCalls(Module module)
    {
        var counts = new List<long>();
        var instance = new Linker()
            .DefineFunction("env", "count", new FuncType([], []), (_, _) => counts.Add(JitInfo.GetCompiledMethodCount(currentThread: true)))
            .Instantiate(module);
        instance.GetFunction("count-twice")!.Invoke(); // the host call's own path, compiled once
        counts.Clear();

        instance.GetFunction("run")!.Invoke();

        Assert.Equal(2, counts.Count);
        return counts[1] - counts[0];
    }

    private static string CallsThirtyFunctions()
    {
        var functions = string.Concat(Enumerable.Range(0, 30).Select(i => $"(func $f{i} (result i32) (i32.const {i}))\n"));
        var calls = string.Concat(Enumerable.Range(0, 30).Select(i => $"(drop (call $f{i}))"));
        return $"""
            (module
              (import "env" "count" (func $count))
              {functions}
              (func (export "count-twice") (call $count) (call $count))
              (func (export "run") (call $count) {calls} (call $count)))
            """;
    }

    // `count` functions () -> i32, each (i32.const i) then (i32.const 1) (i32.add) repeated to about `bodyBytes`.
    private static byte[] Functions(int count, int bodyBytes = 5)
    {
        var builder = new WasmBuilder();
        var type = builder.AddType([], [WasmBuilder.I32]);
        for (var i = 0; i < count; i++)
        {
            var code = new List<byte> { 0x41, (byte)(i & 0x3F) };
            while (code.Count < bodyBytes) code.AddRange([0x41, 0x01, 0x6A]);
            builder.AddFunction(type, [], [.. code]);
        }
        builder.ExportFunction("f", 0);
        return builder.Build();
    }

    private static List<string> Names(CompiledCode code, int[] tokens) =>
        [.. tokens.Select(token => code.Types[0].Module.ResolveMethod(token)!.Name)];
}

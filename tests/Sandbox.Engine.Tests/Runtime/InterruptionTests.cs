using System.Diagnostics;
using Sandbox.Engine.Tests.Support;

namespace Sandbox.Engine.Tests.Runtime;

/// <summary>A timeout or a cancellation token stops guest code that never returns on its own.</summary>
public class InterruptionTests
{
    private const string Loops = """
        (module
          (func (export "spin") (loop (br 0)))
          (func $recurse (export "recurse") (call $recurse2))
          (func $recurse2 (loop (call $leaf) (br 0)))
          (func $leaf))
        """;

    // Generous bound so the test checks that the call stops, not how fast.
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(20);

    [WatFact]
    public void Invoke_InfiniteLoopWithTimeout_TrapsInterrupted()
    {
        var spin = Wat.Instantiate(Loops).GetFunction("spin")!;

        var trap = RunBounded(() => spin.Invoke(new CallOptions { Timeout = TimeSpan.FromMilliseconds(50) }));

        Assert.Equal(TrapCode.Interrupted, trap.Code);
    }

    [WatFact]
    public void Invoke_LoopCallingFunctionsCancelled_TrapsInterrupted()
    {
        var recurse = Wat.Instantiate(Loops).GetFunction("recurse")!;
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        var trap = RunBounded(() => recurse.Invoke(new CallOptions { CancellationToken = cancellation.Token }));

        Assert.Equal(TrapCode.Interrupted, trap.Code);
    }

    [WatFact]
    public void Invoke_AlreadyCancelledToken_TrapsBeforeRunning()
    {
        var spin = Wat.Instantiate(Loops).GetFunction("spin")!;

        var trap = RunBounded(() => spin.Invoke(new CallOptions { CancellationToken = new CancellationToken(canceled: true) }));

        Assert.Equal(TrapCode.Interrupted, trap.Code);
    }

    [WatFact]
    public void Invoke_AfterAnInterruptedCall_NextCallRunsNormally()
    {
        var instance = Wat.Instantiate("""
            (module
              (func (export "spin") (loop (br 0)))
              (func (export "sum") (param i32) (result i32) (local i32)
                (loop (local.set 1 (i32.add (local.get 1) (local.get 0)))
                      (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
                (local.get 1)))
            """);
        RunBounded(() => instance.GetFunction("spin")!.Invoke(new CallOptions { Timeout = TimeSpan.FromMilliseconds(20) }));

        var result = instance.GetFunction("sum")!.Invoke(new CallOptions { Timeout = TimeSpan.FromSeconds(30) }, 100_000);

        Assert.Equal(unchecked((int)(100_000L * 100_001 / 2)), result[0].AsI32());
    }

    [WatFact]
    public void Invoke_ConcurrentCallsWithTimeouts_EachStopsWithoutStoppingTheOthers()
    {
        var module = Module.FromBytes(Wat.ToWasm(Loops));
        var spinners = Enumerable.Range(0, 12).Select(_ => new Linker().Instantiate(module).GetFunction("spin")!).ToArray();
        var counter = Wat.Instantiate("""
            (module (func (export "count") (param i32) (result i32) (local i32)
              (loop (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                    (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
              (local.get 1)))
            """).GetFunction("count")!;

        var interrupted = spinners.Select(spin => Task.Run(() =>
            Assert.Throws<TrapException>(() => spin.Invoke(new CallOptions { Timeout = TimeSpan.FromMilliseconds(100) })).Code)).ToArray();
        var counted = Task.Run(() => counter.Invoke(200_000_000)[0].AsI32());

        Assert.True(Task.WaitAll([.. interrupted, counted], StopBound), $"the calls did not finish within {StopBound}");
        Assert.All(interrupted, task => Assert.Equal(TrapCode.Interrupted, task.Result));
        Assert.Equal(200_000_000, counted.Result);
    }

    private static TrapException RunBounded(Action call)
    {
        var stopwatch = Stopwatch.StartNew();
        var task = Task.Run(() => Assert.Throws<TrapException>(call));
        Assert.True(task.Wait(StopBound), $"the call did not stop within {StopBound}");
        Assert.True(stopwatch.Elapsed < StopBound);
        return task.Result;
    }
}

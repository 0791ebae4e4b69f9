using System.Diagnostics;
using Sandbox.Engine.Runtime;
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

    [WatTheory]
    [InlineData(0L, true)]
    [InlineData(-10_000L, true)] // -1 ms, Timeout.InfiniteTimeSpan's value: already passed
    [InlineData(long.MaxValue, false)] // TimeSpan.MaxValue: never passes
    public void Invoke_TimeoutAtTheEdges_StopsAtOnceOrNever(long ticks, bool stops)
    {
        var instance = Wat.Instantiate("""
            (module
              (func (export "spin") (loop (br 0)))
              (func (export "count") (param i32) (result i32) (local i32)
                (loop (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                      (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
                (local.get 1)))
            """);
        var options = new CallOptions { Timeout = TimeSpan.FromTicks(ticks) };

        if (stops)
        {
            Assert.Equal(TrapCode.Interrupted, RunBounded(() => instance.GetFunction("spin")!.Invoke(options)).Code);
        }
        else
        {
            Assert.Equal(1_000_000, instance.GetFunction("count")!.Invoke(options, 1_000_000)[0].AsI32());
        }
    }

    [WatFact]
    public void Invoke_ShortTimeoutWhileALongOneRuns_StopsAtItsOwnDeadline()
    {
        // The clock sleeps until the long call's deadline, a minute away; the short call's must wake it.
        var module = Module.FromBytes(Wat.ToWasm(Loops));
        var longSpin = new Linker().Instantiate(module).GetFunction("spin")!;
        using var stopLong = new CancellationTokenSource();
        var longCall = Task.Run(() => Assert.Throws<TrapException>(() => longSpin.Invoke(new CallOptions { Timeout = TimeSpan.FromMinutes(1), CancellationToken = stopLong.Token })));
        var shortSpin = new Linker().Instantiate(module).GetFunction("spin")!;

        try
        {
            var trap = RunBounded(() => shortSpin.Invoke(new CallOptions { Timeout = TimeSpan.FromMilliseconds(50) }));

            Assert.Equal(TrapCode.Interrupted, trap.Code);
            Assert.False(longCall.IsCompleted);
        }
        finally
        {
            stopLong.Cancel();
            Assert.True(longCall.Wait(StopBound));
        }
    }

    [WatFact]
    public void Invoke_NestedTimedCalls_EachDeadlineStopsItsOwnCall()
    {
        // A host function calls back into the guest with a deadline of its own, shorter or longer
        // than its caller's: the inner deadline stops only the inner call, and the outer one still
        // fires after the inner call has ended.
        var instance = (Instance?)null;
        var innerTraps = new List<TrapCode>();
        var innerTimeout = TimeSpan.Zero;
        var linker = new Linker().DefineFunction("host", "nested", new FuncType([], []), (_, _) =>
            innerTraps.Add(Assert.Throws<TrapException>(() => instance!.GetFunction("spin")!.Invoke(new CallOptions { Timeout = innerTimeout })).Code));
        instance = linker.Instantiate(Module.FromBytes(Wat.ToWasm("""
            (module
              (import "host" "nested" (func $nested))
              (func (export "spin") (loop (br 0)))
              (func (export "nested-then-spin") (call $nested) (loop (br 0))))
            """)));
        var outer = instance.GetFunction("nested-then-spin")!;

        // Inner 50 ms inside an outer 1 s: the inner call stops, the outer goes on until its own.
        innerTimeout = TimeSpan.FromMilliseconds(50);
        var stopwatch = Stopwatch.StartNew();
        var outerTrap = RunBounded(() => outer.Invoke(new CallOptions { Timeout = TimeSpan.FromSeconds(1) }));
        Assert.Equal(TrapCode.Interrupted, outerTrap.Code);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(1), $"the outer call stopped after {stopwatch.Elapsed}, before its deadline");

        // Inner 1 min inside an outer 50 ms: the outer deadline stops the inner call too.
        innerTimeout = TimeSpan.FromMinutes(1);
        outerTrap = RunBounded(() => outer.Invoke(new CallOptions { Timeout = TimeSpan.FromMilliseconds(50) }));
        Assert.Equal(TrapCode.Interrupted, outerTrap.Code);
        Assert.Equal([TrapCode.Interrupted, TrapCode.Interrupted], innerTraps);
    }

    [WatFact]
    public void Invoke_RefusedFuelBudgetWithATimeout_LeavesNoDeadlineToStopTheThreadsNextCall()
    {
        // A fuel budget on a module compiled without fuel is refused; the timeout given with it must
        // not stay armed and stop the next call its thread runs.
        var instance = Wat.Instantiate("""
            (module (func (export "count") (param i32) (result i32) (local i32)
              (loop (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                    (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
              (local.get 1)))
            """);
        var count = instance.GetFunction("count")!;
        int? counted = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Assert.Throws<InvalidOperationException>(() =>
                    count.Invoke([Value.FromI32(1)], new Value[1], new CallOptions { RunOnCallingThread = true, Fuel = 1000, Timeout = TimeSpan.FromMilliseconds(10) }));
                Thread.Sleep(200); // past that timeout
                var result = new Value[1];
                count.Invoke([Value.FromI32(100_000_000)], result, new CallOptions { RunOnCallingThread = true });
                counted = result[0].AsI32();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, 16 << 20);
        thread.Start();

        Assert.True(thread.Join(StopBound));
        Assert.Null(failure);
        Assert.Equal(100_000_000, counted);
    }

    [WatFact]
    public void Invoke_TimedCallOnAThreadThatEnds_TheClockForgetsTheThread()
    {
        var empty = Wat.Instantiate("(module (func (export \"f\")))").GetFunction("f")!;
        ExecutionState? state = null;
        var scannedWhileAlive = false;
        RunOnThread(() =>
        {
            empty.Invoke([], [], new CallOptions { RunOnCallingThread = true, Timeout = TimeSpan.FromMinutes(1) });
            state = ExecutionState.Current;
            scannedWhileAlive = DeadlineClock.Scans(state);
        });
        Assert.True(scannedWhileAlive);

        // The clock drops an ended thread when it next scans, which a deadline sooner than the
        // minute it waits for brings about (whether or not it stops its call).
        var soon = new CallOptions { RunOnCallingThread = true, Timeout = TimeSpan.FromMilliseconds(1) };
        var stopwatch = Stopwatch.StartNew();
        while (DeadlineClock.Scans(state!) && stopwatch.Elapsed < StopBound)
        {
            RunOnThread(() => Record.Exception(() => empty.Invoke([], [], soon)));
            Thread.Sleep(10);
        }
        Assert.False(DeadlineClock.Scans(state!), $"the ended thread was still scanned after {StopBound}");
    }

    [WatFact]
    public void Invoke_TimedCallsOnManyThreadsThatEnd_TheClockKeepsNoMoreThanItsLiveThreads()
    {
        // Each thread's deadline is a minute away, so the clock does not wake to drop them: the
        // threads that register after them do, as the list grows.
        var empty = Wat.Instantiate("(module (func (export \"f\")))").GetFunction("f")!;
        var options = new CallOptions { RunOnCallingThread = true, Timeout = TimeSpan.FromMinutes(1) };
        var states = new List<ExecutionState>();
        for (var i = 0; i < 300; i++) RunOnThread(() => { empty.Invoke([], [], options); lock (states) states.Add(ExecutionState.Current); });

        Assert.True(states.Count(DeadlineClock.Scans) < 200, $"{states.Count(DeadlineClock.Scans)} of 300 ended threads still scanned");
    }

    // On a thread of its own with a guest thread's stack; its exception is rethrown here, never left
    // unhandled on that thread (which would end the test host).
    private static void RunOnThread(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() => failure = Record.Exception(action), 16 << 20);
        thread.Start();
        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    // The start function first reports what the limiter has charged (its memory and table), then never returns.
    private const string EndlessStart = """
        (module
          (import "host" "probe" (func $probe))
          (memory 2)
          (table 16 funcref)
          (func $start (call $probe) (loop (br 0)))
          (start $start))
        """;

    [WatFact]
    public void Instantiate_EndlessStartFunctionWithTimeout_TrapsInterruptedAndReleasesTheBudget()
    {
        var budget = new ByteBudgetLimiter(1 << 20);
        ulong chargedDuringStart = 0;
        var linker = new Linker().DefineFunction("host", "probe", new FuncType([], []), (_, _) => chargedDuringStart = budget.UsedBytes);
        var module = Module.FromBytes(Wat.ToWasm(EndlessStart));
        var options = new InstanceOptions { Limiter = budget, StartOptions = new CallOptions { Timeout = TimeSpan.FromMilliseconds(100) } };

        var trap = RunBounded(() => linker.Instantiate(module, options));

        Assert.Equal(TrapCode.Interrupted, trap.Code);
        Assert.Equal(2UL * 65536 + 16 * ByteBudgetLimiter.BytesPerTableElement, chargedDuringStart);
        Assert.Equal(0UL, budget.UsedBytes);
    }

    [WatFact]
    public void Instantiate_EndlessStartFunctionCancelled_TrapsInterruptedAndReleasesTheBudget()
    {
        var budget = new ByteBudgetLimiter(1 << 20);
        var linker = new Linker().DefineFunction("host", "probe", new FuncType([], []), (_, _) => { });
        var module = Module.FromBytes(Wat.ToWasm(EndlessStart));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var options = new InstanceOptions { Limiter = budget, StartOptions = new CallOptions { CancellationToken = cancellation.Token } };

        var trap = RunBounded(() => linker.Instantiate(module, options));

        Assert.Equal(TrapCode.Interrupted, trap.Code);
        Assert.Equal(0UL, budget.UsedBytes);
    }

    [WatFact]
    public void Instantiate_StartFunctionWithinItsTimeout_RunsToCompletion()
    {
        var instance = new Linker().Instantiate(
            Module.FromBytes(Wat.ToWasm("""
                (module
                  (global $ran (export "ran") (mut i32) (i32.const 0))
                  (func $start (global.set $ran (i32.const 1)))
                  (start $start))
                """)),
            new InstanceOptions { StartOptions = new CallOptions { Timeout = TimeSpan.FromSeconds(30) } });

        Assert.Equal(1, instance.GetGlobal("ran")!.Value.AsI32());
    }

    [WatTheory]
    [InlineData("(loop (br 0)) (i32.const 0)", "(local.get 0)")] // __new spins
    [InlineData("(i32.const 1024)", "(loop (br 0)) (local.get 0)")] // __pin spins after __new returned
    public void Malloc_AssemblyScriptAllocatorThatNeverReturns_TrapsInterrupted(string newBody, string pinBody)
    {
        var instance = Wat.Instantiate($"""
            (module
              (memory (export "memory") 1)
              (func (export "__new") (param i32 i32) (result i32) {newBody})
              (func (export "__pin") (param i32) (result i32) {pinBody})
              (func (export "__unpin") (param i32)))
            """);
        var allocator = instance.Allocator!;

        var trap = RunBounded(() => allocator.Malloc(16, options: new CallOptions { Timeout = TimeSpan.FromMilliseconds(100) }));

        Assert.Equal("__new", allocator.Name);
        Assert.Equal(TrapCode.Interrupted, trap.Code);
    }

    [WatFact]
    public void Free_GuestFreeThatNeverReturnsCancelled_TrapsInterrupted()
    {
        var instance = Wat.Instantiate("""
            (module
              (memory (export "memory") 1)
              (func (export "malloc") (param i32) (result i32) (i32.const 1024))
              (func (export "free") (param i32) (loop (br 0))))
            """);
        var allocator = instance.Allocator!;
        var block = allocator.Malloc(16)!.Value;
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var trap = RunBounded(() => allocator.Free(block, new CallOptions { CancellationToken = cancellation.Token }));

        Assert.Equal(TrapCode.Interrupted, trap.Code);
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

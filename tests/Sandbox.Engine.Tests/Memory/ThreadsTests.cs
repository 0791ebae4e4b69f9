using System.Diagnostics;
using Sandbox.Engine.Tests.Support;
using Sandbox.Engine.Validation;

// Namespace named after issue 4 ("memory model"): "Memory" would hide the Sandbox.Engine.Memory type.
namespace Sandbox.Engine.Tests.MemoryModel;

/// <summary>
/// The threads proposal across instances: atomics on one shared memory from several threads, and
/// memory.atomic.wait/notify between them.
/// </summary>
public class ThreadsTests
{
    private static readonly EngineOptions Threads = new() { Features = WasmFeatures.Threads };

    private const string Provider = """(module (memory (export "memory") 1 16 shared))""";

    private const string Worker = """
        (module
          (import "env" "memory" (memory 1 16 shared))
          (func (export "add") (param $times i32)
            (loop $next
              (drop (i32.atomic.rmw.add (i32.const 64) (i32.const 1)))
              (br_if $next (local.tee $times (i32.sub (local.get $times) (i32.const 1))))))
          (func (export "wait") (param $expected i32) (param $timeout i64) (result i32)
            (memory.atomic.wait32 (i32.const 128) (local.get $expected) (local.get $timeout)))
          (func (export "notify") (param $count i32) (result i32)
            (memory.atomic.notify (i32.const 128) (local.get $count)))
          (func (export "load") (param i32) (result i32) (i32.atomic.load (local.get 0))))
        """;

    private static (Instance First, Instance Second, Memory Memory) TwoWorkers()
    {
        var linker = new Linker();
        var provider = linker.Instantiate(Module.FromBytes(Wat.ToWasm(Provider, "--enable-threads"), Threads));
        linker.DefineInstance("env", provider);
        var worker = Module.FromBytes(Wat.ToWasm(Worker, "--enable-threads"), Threads);
        return (linker.Instantiate(worker), linker.Instantiate(worker), provider.GetMemory("memory")!);
    }

    [WatFact]
    public void AtomicRmwAdd_TwoInstancesOnTwoThreads_CountExactly()
    {
        const int PerThread = 200_000;
        var (first, second, memory) = TwoWorkers();
        using var start = new Barrier(2);

        var threads = new[] { first, second }.Select(instance => Task.Run(() =>
        {
            start.SignalAndWait();
            instance.GetFunction("add")!.Invoke(PerThread);
        })).ToArray();
        Task.WaitAll(threads);

        Assert.Equal(2 * PerThread, memory.ReadInt32(64));
    }

    [WatFact]
    public void Wait_NotifiedFromAnotherInstance_ReturnsOk()
    {
        var (waiter, notifier, _) = TwoWorkers();

        var waiting = Task.Run(() => waiter.GetFunction("wait")!.Invoke(0, -1L)[0].AsI32());
        // notify returns how many it woke: retry until the waiter has gone to sleep.
        var woken = 0;
        var clock = Stopwatch.StartNew();
        while (woken == 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            woken = notifier.GetFunction("notify")!.Invoke(1)[0].AsI32();
            if (woken == 0) Thread.Sleep(1);
        }

        Assert.Equal(1, woken);
        Assert.True(waiting.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, waiting.Result); // "ok"
    }

    [WatFact]
    public void Wait_NobodyNotifies_TimesOut()
    {
        var (waiter, _, _) = TwoWorkers();
        var clock = Stopwatch.StartNew();

        var result = waiter.GetFunction("wait")!.Invoke(0, 20_000_000L)[0].AsI32(); // 20 ms

        Assert.Equal(2, result); // "timed-out"
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(15), $"returned after {clock.Elapsed}");
    }

    [WatFact]
    public void Wait_ValueDiffers_ReturnsNotEqualAtOnce()
    {
        var (waiter, _, _) = TwoWorkers();

        Assert.Equal(1, waiter.GetFunction("wait")!.Invoke(7, -1L)[0].AsI32()); // memory holds 0
    }

    [WatTheory]
    [InlineData(-1L)]            // no timeout
    [InlineData(long.MaxValue)]  // ~292 years: must not overflow into "already timed out"
    public void Wait_ForeverPastTheCallsTimeout_IsInterrupted(long timeout)
    {
        var (waiter, _, _) = TwoWorkers();
        var options = new CallOptions { Timeout = TimeSpan.FromMilliseconds(50) };

        var trap = Assert.Throws<TrapException>(() => waiter.GetFunction("wait")!.Invoke(options, 0, timeout));

        Assert.Equal(TrapCode.Interrupted, trap.Code);
    }

    [WatFact]
    public void Wait_UnsharedMemory_Traps()
    {
        var instance = new Linker().Instantiate(Module.FromBytes(Wat.ToWasm("""
            (module
              (memory 1)
              (func (export "wait") (result i32) (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 0))))
            """, "--enable-threads"), Threads));

        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("wait")!.Invoke());

        Assert.Equal(TrapCode.ExpectedSharedMemory, trap.Code);
    }

    [WatFact]
    public void AtomicLoad_UnalignedAddress_Traps()
    {
        var (worker, _, _) = TwoWorkers();

        var trap = Assert.Throws<TrapException>(() => worker.GetFunction("load")!.Invoke(2));

        Assert.Equal(TrapCode.UnalignedAtomic, trap.Code);
        Assert.Equal("unaligned atomic", trap.Message);
    }

    // Regression for a stale bounds check: generated code caches the memory length in a local and
    // reloaded it only after calls and memory.grow, so growth by another thread stayed invisible to a
    // running call even after an atomic operation had synchronised with it.
    [WatFact]
    public void Load_PageGrownByAnotherThreadDuringTheCall_IsInBounds()
    {
        var linker = new Linker();
        var provider = linker.Instantiate(Module.FromBytes(Wat.ToWasm(Provider, "--enable-threads"), Threads));
        linker.DefineInstance("env", provider);
        var reader = linker.Instantiate(Module.FromBytes(Wat.ToWasm("""
            (module
              (import "env" "memory" (memory 1 16 shared))
              ;; Say "started" at 4, spin until the flag at 0 is set, then read the word at 65536 (second page).
              (func (export "read-after-flag") (result i32)
                (i32.atomic.store (i32.const 4) (i32.const 1))
                (loop $spin (br_if $spin (i32.eqz (i32.atomic.load (i32.const 0)))))
                (i32.load (i32.const 65536))))
            """, "--enable-threads"), Threads));
        var memory = provider.GetMemory("memory")!;

        var reading = Task.Run(() => reader.GetFunction("read-after-flag")!.Invoke()[0].AsI32());
        var clock = Stopwatch.StartNew();
        while (memory.ReadInt32(4) == 0 && clock.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(1); // the reader runs with one page
        memory.Grow(1);
        memory.WriteInt32(65536, 99);
        memory.WriteInt32(0, 1); // the flag: the reader's atomic load sees it

        Assert.True(reading.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal(99, reading.Result);
    }
}

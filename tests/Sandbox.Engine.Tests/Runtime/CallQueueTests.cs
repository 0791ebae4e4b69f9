using Sandbox.Engine.Tests.Support;

namespace Sandbox.Engine.Tests.Runtime;

/// <summary>
/// <see cref="CallQueue"/>: one item at a time, queued items in order, cancellation while queued,
/// and where the work runs: inline on a thread with a guest thread's stack room, else on a guest thread.
/// </summary>
public class CallQueueTests
{
    private const int GuestStackBytes = GuestExecution.GuestStackBytes;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private const string Recursion = """
        (module
          (func $depth (export "depth") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (call $depth (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))))
        """;

    [Fact]
    public async Task RunAsync_FromSmallStackThread_RunsOnAnotherThreadAndReturnsTheResult()
    {
        var queue = new CallQueue();
        var caller = Environment.CurrentManagedThreadId;

        var ranOn = await OnThread(256 * 1024, () => queue.RunAsync(() => Environment.CurrentManagedThreadId).AsTask()).WaitAsync(Patience);

        Assert.NotEqual(caller, ranOn);
    }

    [Fact]
    public async Task RunAsync_FromThreadWithGuestStackRoomOnIdleQueue_RunsInlineAndCompletesAtOnce()
    {
        var queue = new CallQueue();

        var (completedAtOnce, sameThread) = await OnThread(GuestStackBytes + (2 << 20), () =>
        {
            var caller = Environment.CurrentManagedThreadId;
            var task = queue.RunAsync(() => Environment.CurrentManagedThreadId);
            return Task.FromResult((task.IsCompletedSuccessfully, task.Result == caller));
        }).WaitAsync(Patience);

        Assert.True(completedAtOnce);
        Assert.True(sameThread);
    }

    [Fact]
    public async Task RunAsync_ManyConcurrentCallers_RunOneAtATimeAndAllRun()
    {
        var queue = new CallQueue();
        var running = 0;
        var overlaps = 0;
        var total = 0;

        // Callers on small stacks (queued, drained on guest threads) and on large ones (inline), at once.
        var callers = Enumerable.Range(0, 8).Select(i => OnThread(i % 2 == 0 ? 256 * 1024 : GuestStackBytes + (2 << 20), async () =>
        {
            for (var n = 0; n < 200; n++)
            {
                await queue.RunAsync(() =>
                {
                    if (Interlocked.Increment(ref running) != 1) Interlocked.Increment(ref overlaps);
                    Thread.SpinWait(200);
                    total++; // not atomic on purpose: one at a time makes it exact
                    Interlocked.Decrement(ref running);
                    return 0;
                });
            }
            return 0;
        })).ToArray();
        await Task.WhenAll(callers).WaitAsync(Patience);

        Assert.Equal(0, overlaps);
        Assert.Equal(8 * 200, total);
    }

    [Fact]
    public async Task RunAsync_QueuedBehindARunningItem_RunInTheOrderQueued()
    {
        var queue = new CallQueue();
        using var release = new ManualResetEventSlim();
        var started = new TaskCompletionSource();
        var order = new List<int>();

        var first = OnThread(256 * 1024, () => queue.RunAsync(() => { started.SetResult(); release.Wait(); return 0; }).AsTask());
        await started.Task.WaitAsync(Patience);
        // Queued from one small-stack thread, in this order, while the first item runs.
        var queued = await OnThread(256 * 1024, () => Task.FromResult(Enumerable.Range(1, 20)
            .Select(i => queue.RunAsync(() => { order.Add(i); return i; }).AsTask()).ToArray()));
        release.Set();
        await Task.WhenAll(queued.Append(first)).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(1, 20), order);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileQueued_NeverRunsAndThrowsOperationCanceled()
    {
        var queue = new CallQueue();
        using var release = new ManualResetEventSlim();
        var started = new TaskCompletionSource();
        using var cancel = new CancellationTokenSource();
        var ran = false;

        var first = OnThread(256 * 1024, () => queue.RunAsync(() => { started.SetResult(); release.Wait(); return 0; }).AsTask());
        await started.Task.WaitAsync(Patience);
        var second = await OnThread(256 * 1024, () => Task.FromResult(queue.RunAsync(() => ran = true, cancel.Token).AsTask()));
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.WaitAsync(Patience));
        release.Set();
        await first.WaitAsync(Patience);
        Assert.False(ran);
    }

    [Fact]
    public async Task RunAsync_WorkThrows_TheTaskCarriesTheException()
    {
        var queue = new CallQueue();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            OnThread(256 * 1024, () => queue.RunAsync<int>(() => throw new InvalidOperationException("boom")).AsTask()).WaitAsync(Patience));

        Assert.Equal("boom", error.Message);
    }

    [Fact]
    public async Task RunAsync_LongItemInOneQueue_DoesNotHoldUpAnotherQueue()
    {
        var busy = new CallQueue();
        var other = new CallQueue();
        using var release = new ManualResetEventSlim();
        var started = new TaskCompletionSource();

        var blocked = OnThread(256 * 1024, () => busy.RunAsync(() => { started.SetResult(); release.Wait(); return 0; }).AsTask());
        await started.Task.WaitAsync(Patience);
        var result = await OnThread(256 * 1024, () => other.RunAsync(() => 42).AsTask()).WaitAsync(Patience);

        Assert.Equal(42, result);
        release.Set();
        await blocked.WaitAsync(Patience);
    }

    [Fact]
    public async Task RunAsync_EveryInlineSlotTaken_RunsOnAGuestThreadInstead()
    {
        var saved = GuestExecution.MaxInlineCalls;
        GuestExecution.MaxInlineCalls = 1;
        try
        {
            using var release = new ManualResetEventSlim();
            var started = new TaskCompletionSource();
            var holder = OnThread(GuestStackBytes + (2 << 20), () => new CallQueue().RunAsync(() => { started.SetResult(); release.Wait(); return 0; }).AsTask());
            await started.Task.WaitAsync(Patience);
            var slotsTaken = GuestExecution.InlineCalls;

            var (caller, ranOn) = await OnThread(GuestStackBytes + (2 << 20), async () =>
                (Environment.CurrentManagedThreadId, await new CallQueue().RunAsync(() => Environment.CurrentManagedThreadId))).WaitAsync(Patience);

            release.Set();
            await holder.WaitAsync(Patience);
            Assert.Equal(1, slotsTaken);
            Assert.NotEqual(caller, ranOn);
            Assert.Equal(0, GuestExecution.InlineCalls);
        }
        finally
        {
            GuestExecution.MaxInlineCalls = saved;
        }
    }

    [WatFact]
    public async Task Invoke_OnHostThreadWithGuestStackRoom_RecursesAsDeepAsOnAGuestThread()
    {
        var instance = Wat.Instantiate(Recursion);
        var depth = instance.GetFunction("depth")!;
        const int Deep = 60_000; // far more than a 1.5 MiB stack holds (a few hundred bytes a frame)

        var onGuest = depth.Invoke(Deep)[0].AsI32();
        var inline = await OnThread(GuestStackBytes + (2 << 20), () => instance.Calls.RunAsync(() => depth.Invoke(Deep)[0].AsI32()).AsTask()).WaitAsync(Patience);

        Assert.Equal(Deep, onGuest);
        Assert.Equal(Deep, inline);
    }

    // Runs start on a new thread of the given stack size and returns what its task returns.
    private static Task<T> OnThread<T>(int stackBytes, Func<Task<T>> start)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                start().ContinueWith(t =>
                {
                    if (t.IsFaulted) result.SetException(t.Exception!.InnerExceptions);
                    else if (t.IsCanceled) result.SetCanceled();
                    else result.SetResult(t.Result);
                }, TaskScheduler.Default);
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        }, stackBytes) { IsBackground = true };
        thread.Start();
        return result.Task;
    }
}

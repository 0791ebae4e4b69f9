using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// Dedicated threads with a known, large stack (<see cref="StackSize"/>) that guest calls run on,
/// so the depth a guest can recurse to does not depend on which thread called (issue 3 "Stack").
/// Threads are started on demand, up to <see cref="MaxThreads"/>, and stay for later calls.
/// </summary>
internal static class GuestThreads
{
    public const int StackSize = 16 * 1024 * 1024;

    // Also the number of guest calls that can run at once; further calls queue. A thread costs
    // reserved address space (its stack is committed only as used), so the cap is generous.
    private static readonly int MaxThreads = Math.Max(256, Environment.ProcessorCount * 32);
    private static readonly BlockingCollection<WorkItem> Queue = new(new ConcurrentQueue<WorkItem>());
    private static int threads;
    private static int idle;

    [ThreadStatic]
    private static bool isGuestThread;

    /// <summary>True on a guest thread: calls from here (host functions calling back) run inline.</summary>
    public static bool IsCurrentThreadGuest => isGuestThread;

    /// <summary>Runs <paramref name="work"/> on a guest thread and waits; its exception is rethrown here with its stack.</summary>
    public static void Run(Action work)
    {
        var item = new WorkItem(work);
        if (Volatile.Read(ref idle) == 0 && Volatile.Read(ref threads) < MaxThreads && Interlocked.Increment(ref threads) <= MaxThreads)
        {
            var thread = new Thread(Loop, StackSize) { IsBackground = true, Name = "Sandbox guest" };
            thread.Start();
        }
        Queue.Add(item);
        item.Done.Wait();
        item.Done.Dispose();
        item.Failure?.Throw();
    }

    private static void Loop()
    {
        isGuestThread = true;
        while (true)
        {
            Interlocked.Increment(ref idle);
            var item = Queue.Take();
            Interlocked.Decrement(ref idle);
            try
            {
                item.Work();
            }
            catch (Exception exception)
            {
                item.Failure = ExceptionDispatchInfo.Capture(exception);
            }
            item.Done.Set();
        }
    }

    private sealed class WorkItem(Action work)
    {
        public Action Work { get; } = work;

        public ManualResetEventSlim Done { get; } = new();

        public ExceptionDispatchInfo? Failure { get; set; }
    }
}

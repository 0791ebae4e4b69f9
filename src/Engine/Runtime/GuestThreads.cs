using System.Runtime.ExceptionServices;

namespace Sandbox.Engine.Runtime;

/// <summary>Work for a guest thread. <see cref="Execute"/> must not throw: it reports its own outcome.</summary>
internal abstract class GuestWork
{
    public abstract void Execute();
}

/// <summary>
/// Dedicated threads with a known, large stack (<see cref="StackSize"/>) that guest calls run on,
/// so the depth a guest can recurse to does not depend on which thread called (issue 3 "Stack").
/// Threads are started on demand, up to <see cref="MaxThreads"/>, and stay for later calls.
/// </summary>
/// <remarks>
/// Work is handed to one parked thread directly: the most recently parked (LIFO, so the threads
/// that stay busy are few and warm, and the others sleep without spinning), else a new thread
/// while under the cap, so a call never waits behind a long call. Past the cap, work waits in
/// FIFO order for the next thread to finish. A parked thread spins only briefly before it sleeps:
/// on a server with few cores, spinning threads take the CPU the request threads need.
/// </remarks>
internal static class GuestThreads
{
    public const int StackSize = 16 * 1024 * 1024;

    // Also the number of guest calls that can run at once; further calls queue. A thread costs
    // reserved address space (its stack is committed only as used), so the cap is generous.
    private static readonly int MaxThreads = Math.Max(256, Environment.ProcessorCount * 32);

    // ManualResetEventSlim spins this many rounds before it blocks (its default is 35 with yields).
    private const int ParkSpinCount = 10;

    private static readonly Lock Gate = new();
    private static readonly Stack<GuestThread> Parked = new();
    private static readonly Queue<GuestWork> Waiting = new(); // past the cap only
    private static int threads; // under Gate

    [ThreadStatic]
    private static bool isGuestThread;

    // Host threads running a guest call themselves (GuestExecution.MaxInlineCalls), and on this
    // thread, how many such calls are open (a host function calling back nests one).
    private static int inlineRunning;
    [ThreadStatic]
    private static int inlineDepth;

    public static int MaxInline { get; set; } = Environment.ProcessorCount;

    public static int InlineRunning => Volatile.Read(ref inlineRunning);

    /// <summary>
    /// True on a guest thread, and on a host thread inside a guest call it runs itself: calls from
    /// here (host functions calling back) run inline, on the same thread and state.
    /// </summary>
    public static bool IsCurrentThreadGuest => isGuestThread || inlineDepth > 0;

    /// <summary>
    /// Takes one of the <see cref="MaxInline"/> slots for a guest call on this host thread (the
    /// caller has checked its stack room); true when taken: call <see cref="ExitInline"/> when the
    /// call ends. Calls nested in it then run here without a slot (<see cref="IsCurrentThreadGuest"/>).
    /// </summary>
    public static bool TryTakeSlot()
    {
        if (Interlocked.Increment(ref inlineRunning) > MaxInline)
        {
            Interlocked.Decrement(ref inlineRunning);
            return false;
        }
        inlineDepth++;
        return true;
    }

    /// <summary>How the current thread runs a guest call itself, if it does (<see cref="EnterHere"/>).</summary>
    public enum Here
    {
        /// <summary>Not here: the call goes to a guest thread.</summary>
        No,

        /// <summary>A guest thread, or inside a call this thread runs: no slot needed.</summary>
        Nested,

        /// <summary>The caller pinned the call to its thread (<c>CallOptions.RunOnCallingThread</c>): no slot taken.</summary>
        Pinned,

        /// <summary>A host thread with the stack room, in one of the <see cref="MaxInline"/> slots.</summary>
        Slot,
    }

    /// <summary>Whether the current thread runs a guest call itself; pass the result to <see cref="Leave"/> when the call ends.</summary>
    public static Here EnterHere(bool pinned)
    {
        if (pinned)
        {
            inlineDepth++; // calls nested in it stay here too
            return Here.Pinned;
        }
        if (IsCurrentThreadGuest) return Here.Nested;
        return ThreadStack.HasGuestRoom() && TryTakeSlot() ? Here.Slot : Here.No;
    }

    public static void Leave(Here here)
    {
        if (here == Here.Pinned) inlineDepth--;
        else if (here == Here.Slot) ExitInline();
    }

    /// <summary>Ends a call <see cref="TryTakeSlot"/> let this thread run.</summary>
    public static void ExitInline()
    {
        inlineDepth--;
        Interlocked.Decrement(ref inlineRunning);
    }

    /// <summary>A cheap guess whether <see cref="TryTakeSlot"/> would succeed.</summary>
    public static bool InlineSlotLikely => Volatile.Read(ref inlineRunning) < MaxInline;

    /// <summary>Runs <paramref name="work"/> on a guest thread and waits; its exception is rethrown here with its stack.</summary>
    public static void Run(Action work)
    {
        var item = new BlockingWork(work);
        Post(item);
        item.Done.Wait();
        item.Done.Dispose();
        item.Failure?.Throw();
    }

    /// <summary>Hands <paramref name="work"/> to a guest thread and returns at once.</summary>
    public static void Post(GuestWork work)
    {
        GuestThread? parked = null;
        lock (Gate)
        {
            if (Parked.Count > 0) parked = Parked.Pop();
            else if (threads < MaxThreads) threads++;
            else
            {
                Waiting.Enqueue(work);
                return;
            }
        }
        if (parked is not null) parked.Wake(work);
        else GuestThread.Start(work);
    }

    /// <summary>The thread's next work when there is some waiting; otherwise parks it (under Gate).</summary>
    private static GuestWork? NextOrPark(GuestThread thread)
    {
        lock (Gate)
        {
            if (Waiting.TryDequeue(out var next)) return next;
            thread.PrepareToPark();
            Parked.Push(thread);
            return null;
        }
    }

    private sealed class GuestThread
    {
        private readonly ManualResetEventSlim signal = new(initialState: false, ParkSpinCount);
        private GuestWork? handed;

        public static void Start(GuestWork first)
        {
            var guest = new GuestThread { handed = first };
            new Thread(guest.Loop, StackSize) { IsBackground = true, Name = "Sandbox guest" }.Start();
        }

        public void PrepareToPark() => signal.Reset();

        public void Wake(GuestWork work)
        {
            handed = work;
            signal.Set(); // a release: the thread sees handed once it sees the signal
        }

        private void Loop()
        {
            isGuestThread = true;
            ThreadNice.LowerCurrent();
            // Cleared as soon as taken: a parked thread holding its last work would keep that
            // call's function, instance and module (and their collectible code) alive.
            var work = handed;
            handed = null;
            while (true)
            {
                while (work is not null)
                {
                    work.Execute();
                    work = NextOrPark(this);
                }
                signal.Wait();
                work = handed;
                handed = null;
            }
        }
    }

    private sealed class BlockingWork(Action work) : GuestWork
    {
        public ManualResetEventSlim Done { get; } = new();

        public ExceptionDispatchInfo? Failure { get; private set; }

        public override void Execute()
        {
            try
            {
                work();
            }
            catch (Exception exception)
            {
                Failure = ExceptionDispatchInfo.Capture(exception);
            }
            Done.Set();
        }
    }
}

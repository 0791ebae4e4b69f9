using System.Threading.Tasks.Sources;
using Sandbox.Engine.Runtime;

namespace Sandbox.Engine;

/// <summary>
/// Runs work one item at a time without blocking the thread that queues it: the asynchronous way
/// to make calls into an instance, which runs one call at a time (<see cref="Instance.Calls"/>).
/// </summary>
/// <remarks>
/// <para>
/// One caller at a time holds the queue's turn. A caller on a thread with a guest thread's stack
/// room (a guest thread, or a host thread made as large: the server's thread-pool threads, while
/// fewer than <see cref="GuestExecution.MaxInlineCalls"/> calls run on such threads) that
/// finds the turn free, or freed within a few microseconds of spinning (another caller finishing a
/// short call), takes it: it first runs the items queued before it, then its own work, on its own
/// thread, and the task it gets back has completed. No hand-off, no allocation.
/// </para>
/// <para>
/// Any other caller queues its work; a drainer then runs the queued items back to back (at most
/// <see cref="BatchSize"/> before other queues get a turn) on the thread pool when the pool's
/// threads have a guest thread's stack room, else on one of the engine's guest threads. Queued
/// items run in the order queued; callers that take the turn inline may go ahead of callers
/// still spinning, as with a lock. Calls to <see cref="Function.Invoke(ReadOnlySpan{Value}, Span{Value}, CallOptions?)"/>
/// made by the work run inline on the thread running it. Continuations of a queued item's task
/// run on the thread pool, never on the thread that ran the item.
/// </para>
/// <para>Not re-entrant: work that waits for another item of its own queue waits forever.</para>
/// </remarks>
public sealed class CallQueue
{
    /// <summary>Items a drainer, or a caller taking the turn, runs before it lets others go first.</summary>
    public const int BatchSize = 32;

    // SpinWait rounds (a few microseconds) a caller waits for the turn before it queues.
    private const int InlineSpinCount = 12;

    private readonly Lock gate = new();
    private readonly Drainer drainer;
    private QueuedWork? head; // the queue, under gate
    private QueuedWork? tail;
    private bool busy; // someone holds the turn; written under gate
    private bool drainPosted; // a drainer is posted and has not started; under gate

    public CallQueue()
    {
        drainer = new Drainer(this);
    }

    /// <summary>
    /// Queues <paramref name="work"/> behind the queue's earlier work and returns its result when it has run.
    /// </summary>
    /// <param name="work">Runs on a thread with a guest thread's stack room; its exception becomes the task's.</param>
    /// <param name="cancellationToken">
    /// Cancels the work while it waits in the queue (the task then throws
    /// <see cref="OperationCanceledException"/>); once it runs, stopping it is the work's own affair
    /// (<see cref="CallOptions.CancellationToken"/>).
    /// </param>
    /// <remarks>The returned task may be awaited once.</remarks>
    public ValueTask<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync(static w => w(), work, cancellationToken);
    }

    /// <summary>
    /// Queues <paramref name="work"/> with its <paramref name="state"/>: as
    /// <see cref="RunAsync{T}(Func{T}, CancellationToken)"/>, without a closure to allocate (pass a
    /// static lambda), and without any allocation when the caller takes the turn.
    /// </summary>
    public ValueTask<T> RunAsync<TState, T>(Func<TState, T> work, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<T>(cancellationToken);
        var nested = GuestThreads.IsCurrentThreadGuest;
        if (nested || ThreadStack.HasGuestRoom())
        {
            var spinner = new SpinWait();
            while (true)
            {
                if (!Volatile.Read(ref busy) && TryTakeTurn()) return nested ? RunWithTurn(work, state, cancellationToken) : RunWithTurnInSlot(work, state, cancellationToken);
                if (spinner.Count >= InlineSpinCount) break;
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
        return Enqueue(work, state, cancellationToken);
    }

    private bool TryTakeTurn()
    {
        lock (gate)
        {
            if (busy) return false;
            busy = true;
            return true;
        }
    }

    // Holding the turn on a host thread: run here if a slot is free; otherwise (guests fill the
    // host threads they may have) join the queue, and the drainer ReleaseTurn posts goes to a guest thread.
    private ValueTask<T> RunWithTurnInSlot<TState, T>(Func<TState, T> work, TState state, CancellationToken cancellationToken)
    {
        if (!GuestThreads.TryTakeSlot()) return QueueAndReleaseTurn(work, state, cancellationToken);
        try
        {
            return RunWithTurn(work, state, cancellationToken);
        }
        finally
        {
            GuestThreads.ExitInline();
        }
    }

    // Holding the turn: the items queued earlier go first (we would have waited for them in the
    // queue anyway), then this caller's work, on this thread.
    private ValueTask<T> RunWithTurn<TState, T>(Func<TState, T> work, TState state, CancellationToken cancellationToken)
    {
        // More queued than a batch: take our place behind them.
        if (Volatile.Read(ref head) is not null && !RunQueued()) return QueueAndReleaseTurn(work, state, cancellationToken);
        try
        {
            return new ValueTask<T>(work(state));
        }
        catch (Exception exception)
        {
            return ValueTask.FromException<T>(exception);
        }
        finally
        {
            ReleaseTurn();
        }
    }

    // Holding the turn but not running here: queue the work, and let go (which posts a drainer).
    private ValueTask<T> QueueAndReleaseTurn<TState, T>(Func<TState, T> work, TState state, CancellationToken cancellationToken)
    {
        var queued = Enqueue(work, state, cancellationToken, holdingTurn: true);
        ReleaseTurn();
        return queued;
    }

    private ValueTask<T> Enqueue<TState, T>(Func<TState, T> work, TState state, CancellationToken cancellationToken, bool holdingTurn = false)
    {
        var item = new QueuedWork<TState, T>(work, state);
        item.Watch(cancellationToken);
        var post = false;
        lock (gate)
        {
            if (tail is null) head = item;
            else tail.Next = item;
            tail = item;
            // Whoever holds the turn posts a drainer when it lets go, if items are left.
            if (!busy && !holdingTurn && !drainPosted) post = drainPosted = true;
        }
        if (post) ScheduleDrain();
        return new ValueTask<T>(item, item.Version);
    }

    /// <summary>Runs up to a batch of queued items; true when the queue is then empty.</summary>
    private bool RunQueued()
    {
        for (var i = 0; i < BatchSize; i++)
        {
            QueuedWork? item;
            lock (gate)
            {
                item = head;
                if (item is null) return true;
                head = item.Next;
                if (head is null) tail = null;
            }
            item.Next = null;
            item.Run();
        }
        return Volatile.Read(ref head) is null;
    }

    private void ReleaseTurn()
    {
        var post = false;
        lock (gate)
        {
            busy = false;
            // The turn is free at once, so a caller arriving before the drainer starts runs the queue itself.
            if (head is not null && !drainPosted) post = drainPosted = true;
        }
        if (post) ScheduleDrain();
    }

    private void Drain()
    {
        var here = GuestThreads.EnterHere(pinned: false);
        if (here == GuestThreads.Here.No)
        {
            // A thread-pool thread while every inline slot is taken: a guest thread drains instead.
            GuestThreads.Post(drainer);
            return;
        }
        try
        {
            lock (gate)
            {
                drainPosted = false;
                // A caller that took the turn meanwhile runs the queue, or posts again when it lets go.
                if (busy || head is null) return;
                busy = true;
            }
            RunQueued();
            ReleaseTurn();
        }
        finally
        {
            GuestThreads.Leave(here);
        }
    }

    // The thread-pool threads of a host that made them large enough (seen from one of them) run
    // the queue as well as a guest thread would, and a work item there usually needs no wake-up.
    private void ScheduleDrain()
    {
        if (Thread.CurrentThread.IsThreadPoolThread && ThreadStack.HasGuestRoom() && GuestThreads.InlineSlotLikely) ThreadPool.UnsafeQueueUserWorkItem(drainer, preferLocal: false);
        else GuestThreads.Post(drainer);
    }

    private sealed class Drainer(CallQueue queue) : GuestWork, IThreadPoolWorkItem
    {
        public override void Execute() => queue.Drain();
    }

    private abstract class QueuedWork
    {
        public QueuedWork? Next;

        /// <summary>Runs the work unless it was cancelled while queued; never throws.</summary>
        public abstract void Run();
    }

    // One allocation per call: the queue node is the awaited value task source.
    private sealed class QueuedWork<TState, T>(Func<TState, T> work, TState state) : QueuedWork, IValueTaskSource<T>
    {
        private const int Queued = 0, Running = 1, Cancelled = 2;
        private ManualResetValueTaskSourceCore<T> core = new() { RunContinuationsAsynchronously = true };
        private CancellationTokenRegistration registration;
        private int status;

        public short Version => core.Version;

        public void Watch(CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled) return;
            registration = cancellationToken.UnsafeRegister(static (s, token) =>
            {
                var self = (QueuedWork<TState, T>)s!;
                if (Interlocked.CompareExchange(ref self.status, Cancelled, Queued) == Queued)
                {
                    self.core.SetException(new OperationCanceledException(token));
                }
            }, this);
        }

        public override void Run()
        {
            if (Interlocked.CompareExchange(ref status, Running, Queued) != Queued) return;
            registration.Dispose();
            T result;
            try
            {
                result = work(state);
            }
            catch (Exception exception)
            {
                core.SetException(exception);
                return;
            }
            core.SetResult(result);
        }

        public T GetResult(short token) => core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            core.OnCompleted(continuation, state, token, flags);
    }
}

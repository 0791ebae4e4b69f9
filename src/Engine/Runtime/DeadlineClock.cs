using System.Diagnostics;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// Fires call deadlines from one dedicated thread. A thread-pool timer would fire them late when
/// the pool is starved, and a host that blocks pool threads on guest calls (a server under load,
/// or many callers at once) starves it: the clock that stops a runaway guest must not need the
/// threads that guest's callers hold.
/// </summary>
internal static class DeadlineClock
{
    private static readonly PriorityQueue<Deadline, long> Pending = new();
    private static readonly object Gate = new(); // a Monitor: the clock thread waits on it for the next due time
    private static Thread? thread;
    private static int cancelled;

    /// <summary>Requests <paramref name="interrupt"/> once <paramref name="timeout"/> has passed, unless cancelled first.</summary>
    public static Deadline Schedule(CallInterrupt interrupt, TimeSpan timeout)
    {
        var ticks = timeout <= TimeSpan.Zero ? 0 : timeout.TotalSeconds * Stopwatch.Frequency;
        var due = ticks >= long.MaxValue / 2 ? long.MaxValue : Stopwatch.GetTimestamp() + (long)ticks;
        var deadline = new Deadline(interrupt);
        lock (Gate)
        {
            thread ??= Start();
            Pending.Enqueue(deadline, due);
            if (ReferenceEquals(Pending.Peek(), deadline)) Monitor.Pulse(Gate);
        }
        return deadline;
    }

    private static Thread Start()
    {
        var clock = new Thread(Run) { IsBackground = true, Name = "Sandbox deadlines" };
        clock.Start();
        return clock;
    }

    private static void Run()
    {
        lock (Gate)
        {
            while (true)
            {
                if (!Pending.TryPeek(out var next, out var due))
                {
                    Monitor.Wait(Gate);
                    continue;
                }
                var remaining = due - Stopwatch.GetTimestamp();
                if (remaining > 0)
                {
                    Monitor.Wait(Gate, TimeSpan.FromSeconds(Math.Min(remaining, int.MaxValue) / (double)Stopwatch.Frequency));
                    continue;
                }
                Pending.Dequeue();
                if (next.IsCancelled) cancelled--;
                else next.Interrupt.Request();
            }
        }
    }

    /// <summary>
    /// Cancelled deadlines stay queued until due; when they are most of the queue (calls that
    /// finish long before a generous deadline), the queue is rebuilt without them, so its size
    /// follows the calls in flight.
    /// </summary>
    private static void Cancel(Deadline deadline)
    {
        lock (Gate)
        {
            if (deadline.IsCancelled) return;
            deadline.IsCancelled = true;
            if (++cancelled <= 64 || cancelled <= Pending.Count / 2) return;
            var live = Pending.UnorderedItems.Where(item => !item.Element.IsCancelled).ToArray();
            Pending.Clear();
            foreach (var (element, priority) in live) Pending.Enqueue(element, priority);
            cancelled = 0;
        }
    }

    /// <summary>One scheduled deadline; dispose it when the call ends.</summary>
    internal sealed class Deadline(CallInterrupt interrupt) : IDisposable
    {
        public CallInterrupt Interrupt { get; } = interrupt;

        public bool IsCancelled { get; set; }

        public void Dispose() => Cancel(this);
    }
}

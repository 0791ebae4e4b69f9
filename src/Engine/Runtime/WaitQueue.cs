using System.Diagnostics;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// The waiters of one shared memory, keyed by address (threads proposal, Overview "Wait and
/// Notify Operators"): <c>memory.atomic.wait32/64</c> enqueue, <c>memory.atomic.notify</c> wakes
/// the oldest first. The value comparison and the enqueue happen under the same lock as notify, so
/// a notify between a waiter's check and its sleep cannot be lost.
/// </summary>
/// <remarks>
/// A waiting guest still honours its call's deadline and cancellation: it sleeps in slices and
/// checks the thread's interrupt flag between them, so a <c>wait</c> with an infinite timeout
/// cannot hold a thread beyond its call's limit.
/// </remarks>
internal sealed class WaitQueue
{
    /// <summary>wait's results (Overview: 0 "ok", 1 "not-equal", 2 "timed-out").</summary>
    public const int Woken = 0, NotEqual = 1, TimedOut = 2;

    // How often a sleeping waiter looks at its interrupt flag.
    private static readonly TimeSpan InterruptSlice = TimeSpan.FromMilliseconds(10);

    private readonly object gate = new();
    private readonly Dictionary<ulong, LinkedList<Waiter>> waiters = [];

    /// <summary>
    /// Sleeps at <paramref name="address"/> if <paramref name="matches"/> (evaluated under the lock)
    /// holds, until notified or <paramref name="timeoutNanoseconds"/> pass (negative: no timeout).
    /// </summary>
    public int Wait(ulong address, Func<bool> matches, long timeoutNanoseconds, ExecutionState state)
    {
        lock (gate)
        {
            if (!matches()) return NotEqual;
            if (!waiters.TryGetValue(address, out var queue)) waiters[address] = queue = new LinkedList<Waiter>();
            var waiter = new Waiter();
            var node = queue.AddLast(waiter);
            // The deadline in Stopwatch ticks keeps sub-millisecond timeouts (Monitor.Wait sleeps in
            // whole milliseconds, so the last slice is rounded up and may overshoot by under 1 ms).
            var now = Stopwatch.GetTimestamp();
            var ticks = timeoutNanoseconds / 1e9 * Stopwatch.Frequency;
            var deadline = timeoutNanoseconds < 0 || ticks >= long.MaxValue - now ? long.MaxValue : now + (long)ticks;
            while (!waiter.Notified)
            {
                var remaining = deadline == long.MaxValue ? TimeSpan.MaxValue : Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                var interrupted = Volatile.Read(ref state.Interrupt) != 0;
                if (remaining <= TimeSpan.Zero || interrupted)
                {
                    queue.Remove(node);
                    if (queue.Count == 0) waiters.Remove(address);
                    if (interrupted) throw ExecutionState.Interrupted(state);
                    return TimedOut;
                }
                var slice = remaining < InterruptSlice ? remaining : InterruptSlice;
                Monitor.Wait(gate, TimeSpan.FromMilliseconds(Math.Ceiling(slice.TotalMilliseconds)));
            }
            return Woken;
        }
    }

    /// <summary>Wakes up to <paramref name="count"/> waiters at <paramref name="address"/>, oldest first; returns how many.</summary>
    public int Notify(ulong address, uint count)
    {
        lock (gate)
        {
            if (count == 0 || !waiters.TryGetValue(address, out var queue)) return 0;
            var woken = 0;
            while (queue.First is { } first && (uint)woken < count)
            {
                first.Value.Notified = true;
                queue.RemoveFirst();
                woken++;
            }
            if (queue.Count == 0) waiters.Remove(address);
            Monitor.PulseAll(gate);
            return woken;
        }
    }

    private sealed class Waiter
    {
        public bool Notified;
    }
}

using System.Diagnostics;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// Fires call deadlines from one dedicated thread. A thread-pool timer would fire them late when
/// the pool is starved, and a host that blocks pool threads on guest calls (a server under load,
/// or many callers at once) starves it: the clock that stops a runaway guest must not need the
/// threads that guest's callers hold.
/// </summary>
/// <remarks>
/// <para>
/// Arming a deadline touches nothing another thread writes: the call's interrupt goes in its own
/// thread's <see cref="ExecutionState.TimedCall"/> (a chain, innermost first, for calls nested in
/// host functions), and the clock thread scans the threads that have armed one. A call reads the
/// clock's next wake-up and takes the clock's lock only when its deadline comes before it (the
/// first call after the clock went idle, or a timeout shorter than the ones in flight). A priority
/// queue under one lock would hold every timed call of the process to that lock twice, and two
/// threads would arm no more deadlines per second than one (bench/calls measured both).
/// </para>
/// <para>
/// No deadline is missed: a call publishes its interrupt, then (after a full fence) reads the
/// next wake-up; the clock publishes its next wake-up, then (after a full fence) scans again. At
/// least one of them sees the other's write, so either the clock's scan finds the call, or the
/// call sees a wake-up after its deadline and wakes the clock.
/// </para>
/// </remarks>
internal static class DeadlineClock
{
    private static readonly object Gate = new(); // a Monitor: the clock thread waits on it for the next due time
    private static readonly List<(ExecutionState State, Thread Thread)> Armed = []; // threads that have armed a deadline, under Gate
    private static long nextWake = long.MaxValue; // the timestamp the clock wakes at; written under Gate
    private static Thread? thread;
    private static int pruneAt = 64; // Armed's length at which Register drops ended threads

    /// <summary>
    /// Arms <paramref name="interrupt"/> on this thread's <paramref name="state"/> to be requested
    /// once <paramref name="timeout"/> has passed; <see cref="Disarm"/> it when the call ends, before
    /// a call it is nested in ends. False when the timeout is too long to ever pass (nothing armed).
    /// </summary>
    public static bool Arm(ExecutionState state, CallInterrupt interrupt, TimeSpan timeout)
    {
        var ticks = timeout <= TimeSpan.Zero ? 0 : timeout.TotalSeconds * Stopwatch.Frequency;
        if (ticks >= long.MaxValue / 2) return false;
        interrupt.Due = Stopwatch.GetTimestamp() + (long)ticks;
        if (!state.KnownToClock) Register(state);
        interrupt.EnclosingTimed = state.TimedCall;
        Interlocked.Exchange(ref state.TimedCall, interrupt); // a full fence before reading nextWake
        if (interrupt.Due < Volatile.Read(ref nextWake)) WakeFor(interrupt.Due);
        return true;
    }

    /// <summary>Withdraws the innermost deadline <see cref="Arm"/> put on this thread.</summary>
    public static void Disarm(ExecutionState state, CallInterrupt interrupt)
    {
        Debug.Assert(ReferenceEquals(state.TimedCall, interrupt), "deadlines are disarmed innermost first");
        Volatile.Write(ref state.TimedCall, interrupt.EnclosingTimed);
    }

    /// <summary>Whether the clock scans <paramref name="state"/>'s thread (for tests: a thread that has ended leaves the list).</summary>
    internal static bool Scans(ExecutionState state)
    {
        lock (Gate) return Armed.Exists(armed => armed.State == state);
    }

    private static void Register(ExecutionState state)
    {
        lock (Gate)
        {
            // Threads that ended leave at the clock's scans; a host making threads faster than its
            // deadlines fall due has them pruned here too, each time the list doubles.
            if (Armed.Count >= pruneAt)
            {
                Armed.RemoveAll(armed => armed.State.TimedCall is null && !armed.Thread.IsAlive);
                pruneAt = Math.Max(64, 2 * Armed.Count);
            }
            Armed.Add((state, Thread.CurrentThread));
            thread ??= Start();
        }
        state.KnownToClock = true;
    }

    // A deadline before the clock's next wake-up: bring the wake-up forward.
    private static void WakeFor(long due)
    {
        lock (Gate)
        {
            if (due >= nextWake) return;
            nextWake = due;
            Monitor.Pulse(Gate);
        }
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
                var earliest = Scan(fire: true);
                Interlocked.Exchange(ref nextWake, earliest); // a full fence before scanning again
                // A call that armed during the first scan, before it could see the new wake-up.
                if (Scan(fire: false) < earliest) continue;
                if (earliest == long.MaxValue)
                {
                    Monitor.Wait(Gate);
                    continue;
                }
                var remaining = earliest - Stopwatch.GetTimestamp();
                if (remaining > 0) Monitor.Wait(Gate, TimeSpan.FromSeconds(Math.Min(remaining, int.MaxValue) / (double)Stopwatch.Frequency));
            }
        }
    }

    // The earliest deadline among the armed calls not yet fired, after requesting the due ones'
    // interrupts when firing (a call that ended meanwhile ignores its request: CallInterrupt.Finish).
    // Threads that have ended, with nothing armed, leave the list.
    private static long Scan(bool fire)
    {
        var now = Stopwatch.GetTimestamp();
        var earliest = long.MaxValue;
        for (var i = Armed.Count - 1; i >= 0; i--)
        {
            var (state, owner) = Armed[i];
            var call = Volatile.Read(ref state.TimedCall);
            if (call is null && fire && !owner.IsAlive)
            {
                Armed.RemoveAt(i);
                continue;
            }
            for (; call is not null; call = call.EnclosingTimed)
            {
                var due = call.Due <= now;
                if (due && call.Fired) continue; // nothing left to do
                if (due && fire)
                {
                    call.Fired = true;
                    call.Request();
                }
                else
                {
                    earliest = Math.Min(earliest, call.Due);
                }
            }
        }
        return earliest;
    }
}

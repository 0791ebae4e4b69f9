using System.Buffers.Binary;
using System.Diagnostics;
using Sandbox.Engine.Runtime;

namespace Sandbox.Engine.Wasi.Internal;

// poll_oneoff: clock subscriptions (relative or absolute timeouts) and fd read/write readiness.
// Files and buffered stdin are always ready; a sleep ends at its timeout, or earlier when the
// call's deadline or cancellation fires (the call then traps Interrupted, as a loop would).
internal static partial class WasiFunctions
{
    // How often a sleeping guest looks at its call's interrupt flag (as WaitQueue's waiters).
    private static readonly TimeSpan InterruptSlice = TimeSpan.FromMilliseconds(5);

    private static WasiErrno PollOneoff(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        var memory = caller.Memory;
        var count = U32(a, 2);
        if (count == 0) return WasiErrno.Inval;
        if (count > int.MaxValue / WasiAbi.SubscriptionSize) return WasiErrno.Fault;
        var subscriptions = memory.Slice(U32(a, 0), count * WasiAbi.SubscriptionSize);
        var events = memory.Slice(U32(a, 1), count * WasiAbi.EventSize);
        memory.Slice(U32(a, 3), 4);
        var context = caller.Context;
        var clock = context.Clock;

        // First pass: fd events are ready now; clock events get their timeout (relative to now).
        var ready = 0;
        ulong earliest = ulong.MaxValue;
        for (var i = 0; i < (int)count; i++)
        {
            var s = subscriptions.Slice(i * WasiAbi.SubscriptionSize, WasiAbi.SubscriptionSize);
            var tag = s[8];
            if (tag == WasiAbi.EventClock)
            {
                var id = BinaryPrimitives.ReadInt32LittleEndian(s[16..]);
                var timeout = BinaryPrimitives.ReadUInt64LittleEndian(s[24..]);
                var absolute = (BinaryPrimitives.ReadUInt16LittleEndian(s[40..]) & WasiAbi.SubscriptionClockAbstime) != 0;
                if (!TryReadClock(clock, id, out var now))
                {
                    WriteEvent(events, ready++, s, WasiErrno.Inval, 0);
                    continue;
                }
                var wait = absolute ? (timeout > now ? timeout - now : 0) : timeout;
                earliest = Math.Min(earliest, wait);
            }
            else if (tag is WasiAbi.EventFdRead or WasiAbi.EventFdWrite)
            {
                var fd = BinaryPrimitives.ReadInt32LittleEndian(s[16..]);
                if (!context.Fds.TryGet(fd, out var entry))
                {
                    WriteEvent(events, ready++, s, WasiErrno.BadF, 0);
                    continue;
                }
                if ((entry!.Base & WasiRights.PollFdReadwrite) == 0 && entry is not FileEntry)
                {
                    WriteEvent(events, ready++, s, WasiErrno.NotCapable, 0);
                    continue;
                }
                ulong available = entry switch
                {
                    FileEntry file when tag == WasiAbi.EventFdRead => (ulong)Math.Max(0, file.File.Length - file.Position),
                    StdioEntry { Input: { IsBuffered: true } input } => (ulong)input.Available,
                    _ => 0,
                };
                WriteEvent(events, ready++, s, WasiErrno.Success, available);
            }
            else
            {
                WriteEvent(events, ready++, s, WasiErrno.Inval, 0);
            }
        }

        // Nothing ready: sleep to the earliest timeout, then report every clock that expired.
        if (ready == 0 && earliest != ulong.MaxValue)
        {
            // What the guest wrote before sleeping reaches a streaming reader now, not after the sleep.
            context.FlushOutputs();
            Sleep(clock, earliest);
            for (var i = 0; i < (int)count; i++)
            {
                var s = subscriptions.Slice(i * WasiAbi.SubscriptionSize, WasiAbi.SubscriptionSize);
                if (s[8] != WasiAbi.EventClock) continue;
                var absolute = (BinaryPrimitives.ReadUInt16LittleEndian(s[40..]) & WasiAbi.SubscriptionClockAbstime) != 0;
                var timeout = BinaryPrimitives.ReadUInt64LittleEndian(s[24..]);
                TryReadClock(clock, BinaryPrimitives.ReadInt32LittleEndian(s[16..]), out var now);
                if (absolute ? timeout <= now : timeout <= earliest) WriteEvent(events, ready++, s, WasiErrno.Success, 0);
            }
        }
        memory.WriteU32(U32(a, 3), (uint)ready);
        return WasiErrno.Success;
    }

    private static void WriteEvent(Span<byte> events, int index, ReadOnlySpan<byte> subscription, WasiErrno error, ulong bytes)
    {
        var e = events.Slice(index * WasiAbi.EventSize, WasiAbi.EventSize);
        e.Clear();
        subscription[..8].CopyTo(e); // userdata
        Put(e[8..], (ushort)error);
        e[10] = subscription[8];
        Put(e[16..], bytes);
    }

    /// <summary>
    /// Waits <paramref name="nanoseconds"/> (a deterministic clock just moves on), waking every
    /// <see cref="InterruptSlice"/> to honour the call's deadline and cancellation.
    /// </summary>
    private static void Sleep(WasiClock clock, ulong nanoseconds)
    {
        if (clock.IsDeterministic)
        {
            clock.Skip(nanoseconds);
            return;
        }
        var state = ExecutionState.Current;
        var ticks = nanoseconds / 1e9 * Stopwatch.Frequency;
        var now = Stopwatch.GetTimestamp();
        var deadline = ticks >= long.MaxValue - now ? long.MaxValue : now + (long)ticks;
        while (true)
        {
            if (Volatile.Read(ref state.Interrupt) != 0) throw ExecutionState.Interrupted(state);
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero) return;
            Thread.Sleep(remaining < InterruptSlice ? remaining : InterruptSlice);
        }
    }
}

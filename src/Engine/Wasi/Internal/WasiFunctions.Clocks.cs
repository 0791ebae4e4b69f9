namespace Sandbox.Engine.Wasi.Internal;

// clock_res_get, clock_time_get ($clockid: realtime, monotonic, process_cputime_id, thread_cputime_id).
internal static partial class WasiFunctions
{
    private static WasiErrno ClockResGet(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        if ((uint)I32(a, 0) > WasiAbi.ClockThreadCputime) return WasiErrno.Inval;
        caller.Memory.WriteU64(U32(a, 1), WasiClock.Resolution);
        return WasiErrno.Success;
    }

    private static WasiErrno ClockTimeGet(WasiCaller caller, ReadOnlySpan<Value> a)
    {
        if (!TryReadClock(caller.Context.Clock, I32(a, 0), out var now)) return WasiErrno.Inval;
        caller.Memory.WriteU64(U32(a, 2), now);
        return WasiErrno.Success;
    }

    // The CPU-time clocks read the monotonic clock: a guest runs on one thread, and this keeps a
    // deterministic clock deterministic.
    private static bool TryReadClock(WasiClock clock, int id, out ulong now)
    {
        switch (id)
        {
            case WasiAbi.ClockRealtime: now = clock.Realtime(); return true;
            case WasiAbi.ClockMonotonic or WasiAbi.ClockProcessCputime or WasiAbi.ClockThreadCputime: now = clock.Monotonic(); return true;
            default: now = 0; return false;
        }
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Sandbox.Bench.Compile;

/// <summary>
/// CPU time of the calling thread in nanoseconds: clock_gettime(CLOCK_THREAD_CPUTIME_ID) on Linux,
/// so that other processes on a shared machine do not inflate the figures; wall time elsewhere.
/// </summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTimeId = 3;

    public static long Nanoseconds()
    {
        if (!OperatingSystem.IsLinux()) return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
        if (ClockGetTime(ClockThreadCpuTimeId, out var time) != 0) throw new InvalidOperationException("clock_gettime failed");
        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}

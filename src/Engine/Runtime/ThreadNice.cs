using System.Runtime.InteropServices;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// Lowers the scheduling priority of the current thread (Linux: its nice value). Guest threads
/// run the calls that did not fit on host threads, the long ones first of all: below the host's
/// threads, a CPU full of guests still leaves Kestrel's I/O, health checks and cancellations a
/// core when they need one. Guests get every cycle the host does not use.
/// </summary>
internal static partial class ThreadNice
{
    // 0..19 raise the nice value (lower the priority); any process may do that to its own threads.
    public const int GuestNice = 10;

    public static void LowerCurrent()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            // PRIO_PROCESS with a thread id sets that thread's nice value (setpriority(2), NOTES).
            _ = setpriority(0, gettid(), GuestNice);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A libc without gettid: guests keep the host's priority.
        }
    }

    [LibraryImport("libc")]
    private static partial int gettid();

    [LibraryImport("libc")]
    private static partial int setpriority(int which, int who, int priority);
}

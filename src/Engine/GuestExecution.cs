using Sandbox.Engine.Runtime;

namespace Sandbox.Engine;

/// <summary>
/// Where guest calls run: on the engine's guest threads (16 MiB stacks), or on the calling thread
/// when it has as much stack room, up to <see cref="MaxInlineCalls"/> such calls at once.
/// </summary>
/// <remarks>
/// A call made on a host thread with the room (a server whose thread-pool threads have 16 MiB
/// stacks) saves the hand-off to a guest thread and back. A long call holds that thread for as long
/// as it runs, so only <see cref="MaxInlineCalls"/> calls run on host threads at once; the rest
/// go to guest threads, and a host's thread pool never has more than that many threads held by
/// guests (see also <see cref="CallQueue"/>).
/// </remarks>
public static class GuestExecution
{
    /// <summary>The stack of a guest thread, and the room a host thread needs to run calls itself.</summary>
    public const int GuestStackBytes = GuestThreads.StackSize;

    /// <summary>
    /// The most guest calls running on host threads at once (calls nested in one count once);
    /// default the processor count. 0 sends every call to the guest threads.
    /// </summary>
    public static int MaxInlineCalls
    {
        get => GuestThreads.MaxInline;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            GuestThreads.MaxInline = value;
        }
    }

    /// <summary>Guest calls running on host threads now.</summary>
    public static int InlineCalls => GuestThreads.InlineRunning;

    /// <summary>
    /// Lowers the current thread's scheduling priority to the guest threads' (Linux: nice 10), for
    /// a host's own threads that do heavy work for guests, such as compiling their modules, so that
    /// a CPU full of it still leaves the host's request threads a core.
    /// </summary>
    public static void LowerCurrentThreadPriority() => ThreadNice.LowerCurrent();
}

using System.Runtime.InteropServices;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// How much stack the current thread has left, so that a call can run on the calling thread when
/// that thread has as much room as a guest thread would give it (<see cref="GuestThreads.StackSize"/>):
/// a host that makes its own threads that large (the server sets the runtime's
/// <c>System.Threading.DefaultStackSize</c>, which thread-pool threads get too) saves the hand-off
/// to a guest thread, and a guest still recurses as deep as on a guest thread.
/// </summary>
internal static unsafe partial class ThreadStack
{
    /// <summary>The room a call needs to run inline: a guest thread's stack, less what a host's frames may already use.</summary>
    public const long InlineRoomBytes = GuestThreads.StackSize - (1L << 20);

    // The lowest address of the current thread's stack; 0 until looked up, -1 when unknown.
    [ThreadStatic]
    private static nint low;

    /// <summary>True when the current thread's stack has at least <see cref="InlineRoomBytes"/> left below this frame.</summary>
    public static bool HasGuestRoom()
    {
        var limit = Low();
        if (limit < 0) return false;
        byte marker = 0;
        return (nint)(&marker) - limit >= InlineRoomBytes;
    }

    /// <summary>The lowest address of the current thread's stack, or -1 when it cannot be found.</summary>
    public static nint Low()
    {
        var limit = low;
        if (limit == 0) low = limit = FindLow();
        return limit;
    }

    private static nint FindLow()
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                // pthread_attr_t is 56 bytes on 64-bit glibc and musl; room to spare.
                var attributes = stackalloc byte[256];
                if (pthread_getattr_np(pthread_self(), attributes) != 0) return -1;
                nint address;
                nuint size;
                var found = pthread_attr_getstack(attributes, &address, &size);
                pthread_attr_destroy(attributes);
                return found == 0 && address > 0 ? address : -1;
            }
            if (OperatingSystem.IsWindows())
            {
                GetCurrentThreadStackLimits(out var lowLimit, out _);
                return lowLimit > 0 ? (nint)lowLimit : -1;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A libc without these: calls take the guest threads.
        }
        return -1;
    }

    [LibraryImport("libc")]
    private static partial nint pthread_self();

    [LibraryImport("libc")]
    private static partial int pthread_getattr_np(nint thread, byte* attributes);

    [LibraryImport("libc")]
    private static partial int pthread_attr_getstack(byte* attributes, nint* address, nuint* size);

    [LibraryImport("libc")]
    private static partial int pthread_attr_destroy(byte* attributes);

    [LibraryImport("kernel32")]
    private static partial void GetCurrentThreadStackLimits(out nuint lowLimit, out nuint highLimit);
}

using System.Runtime.CompilerServices;

namespace Sandbox.Server.Tests.Infrastructure;

/// <summary>
/// Gives the thread pool back the threads the test host holds, so that the servers these tests
/// host in-process see the pool a deployed server has.
/// </summary>
/// <remarks>
/// The server raises the pool's minimum to the processor count plus the guest calls it lets run
/// on pool threads (<c>ReserveThreadsForGuests</c>), assuming the rest of the pool is its own. In
/// the test host two pool threads stay blocked for the whole run (VSTest's message loop polling
/// its socket, the xunit adapter waiting for the assembly), so on a 2-core machine one guest call
/// spinning to its deadline left no thread for anything else: the pool counts blocked threads as
/// busy and adds one only after its starvation delay, and a test's <c>Task.Delay(200)</c> resumed
/// after 1.1 s (seen with dotnet-stack: DropInstance_WhileACallWritesItsMemory failed about one run
/// in ten). Raised before any test runs, over the runtime's default; the server's own raise, if
/// larger, still applies.
/// </remarks>
internal static class TestHostThreads
{
    // The two seen blocked, and room for the runner's other waits.
    private const int HeldByTestHost = 4;

    [ModuleInitializer]
    internal static void Reserve()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(workers + HeldByTestHost, completionPorts);
    }
}

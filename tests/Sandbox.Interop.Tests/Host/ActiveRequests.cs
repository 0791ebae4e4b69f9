namespace Sandbox.Interop.Tests.Host;

/// <summary>
/// Counts the host's requests in flight. A client process may exit before the server has finished
/// its side of the last call (a cancelled handler unwinding, the final log line); a test waits for
/// the server to be idle before it reads the server's log, so that nothing a case caused is missed
/// or blamed on the next case.
/// </summary>
public sealed class ActiveRequests
{
    private readonly object gate = new();
    private int count;
    private TaskCompletionSource idle = CompletedSignal();

    public void Enter()
    {
        lock (gate)
        {
            if (count++ == 0)
            {
                idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Exit()
    {
        TaskCompletionSource? becameIdle = null;
        lock (gate)
        {
            if (--count == 0)
            {
                becameIdle = idle;
            }
        }
        becameIdle?.SetResult();
    }

    /// <summary>Waits until no request is in flight; false if that does not happen within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForIdleAsync(TimeSpan timeout)
    {
        Task signal;
        lock (gate)
        {
            signal = idle.Task;
        }
        try
        {
            await signal.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static TaskCompletionSource CompletedSignal()
    {
        var signal = new TaskCompletionSource();
        signal.SetResult();
        return signal;
    }
}

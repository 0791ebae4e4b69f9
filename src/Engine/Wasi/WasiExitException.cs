namespace Sandbox.Engine.Wasi;

/// <summary>
/// Thrown by <c>proc_exit</c> to unwind the guest. It reaches an embedder as the inner exception
/// of the <see cref="TrapException"/> the call ends with; <see cref="WasiContext.Run"/> turns it
/// into a <see cref="WasiResult"/> instead, so for a command an exit is a result, not a trap.
/// </summary>
public sealed class WasiExitException(int exitCode) : Exception($"exit with code {exitCode}")
{
    public int ExitCode { get; } = exitCode;

    /// <summary>True when <paramref name="exception"/> (or the trap wrapping it) is a guest's exit; its code in <paramref name="exitCode"/>.</summary>
    public static bool TryGetExitCode(Exception exception, out int exitCode)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is WasiExitException exit)
            {
                exitCode = exit.ExitCode;
                return true;
            }
        }
        exitCode = 0;
        return false;
    }
}

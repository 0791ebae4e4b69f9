using Google.Protobuf;
using Sandbox.Grpc;

namespace Sandbox.V1;

/// <summary>
/// The one mapping from a WebAssembly trap to the status of the call it ended, as the "Traps"
/// section of sandbox.proto specifies: the status code by trap code, and the trap itself in the
/// <see cref="SandboxGrpc.TrapTrailerKey"/> trailer. Clients read it back with
/// <c>RpcExceptionExtensions.TryGetTrap</c> (Sandbox.Client).
/// </summary>
public static class TrapStatus
{
    /// <summary>The status code a call ends with when it traps with <paramref name="code"/>.</summary>
    /// <param name="code">The trap's code.</param>
    /// <param name="cancelledByClient">For <see cref="TrapCode.Interrupted"/>: true when the client
    /// cancelled the call rather than its deadline passing.</param>
    public static StatusCode CodeFor(TrapCode code, bool cancelledByClient = false) => code switch
    {
        TrapCode.OutOfFuel or TrapCode.CallStackExhausted => StatusCode.ResourceExhausted,
        TrapCode.Interrupted => cancelledByClient ? StatusCode.Cancelled : StatusCode.DeadlineExceeded,
        // The guest aborted the call; retrying with the same arguments traps again.
        _ => StatusCode.Aborted,
    };

    /// <summary>
    /// The exception a handler throws to end its call with this trap: the status from
    /// <see cref="CodeFor"/>, <c>trap: MESSAGE</c> as the status message, and the serialized trap
    /// in the trailers.
    /// </summary>
    public static RpcException ToRpcException(Trap trap, bool cancelledByClient = false)
    {
        ArgumentNullException.ThrowIfNull(trap);
        var trailers = new Metadata { { SandboxGrpc.TrapTrailerKey, trap.ToByteArray() } };
        var detail = "trap: " + (trap.Message.Length > 0 ? trap.Message : trap.Code.ToString());
        return new RpcException(new Status(CodeFor(trap.Code, cancelledByClient), detail), trailers);
    }
}

using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Sandbox.V1;

/// <summary>
/// The one mapping from a WebAssembly trap to the status of the call it ended, as the "Traps"
/// section of sandbox.proto specifies: the status code by trap code, and the trap itself as a
/// detail of the <c>google.rpc.Status</c> in the <c>grpc-status-details-bin</c> trailer
/// (gRPC's richer error model, read back with Grpc.StatusProto's <c>GetRpcStatus</c>).
/// </summary>
/// <remarks>
/// The server bounds a trap before it gets here (Sandbox.Server's <c>Traps.ToProto</c>): the
/// status message travels twice, in <c>grpc-message</c> and inside the details, and the whole
/// must stay within the 8 KiB of trailers common clients accept.
/// </remarks>
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
    /// <see cref="CodeFor"/>, <c>trap: MESSAGE</c> as the status message, and the trap packed as
    /// the one detail of a <c>google.rpc.Status</c>.
    /// </summary>
    public static RpcException ToRpcException(Trap trap, bool cancelledByClient = false)
    {
        ArgumentNullException.ThrowIfNull(trap);
        var status = new Google.Rpc.Status
        {
            Code = (int)CodeFor(trap.Code, cancelledByClient),
            Message = "trap: " + (trap.Message.Length > 0 ? trap.Message : trap.Code.ToString()),
            Details = { Any.Pack(trap) },
        };
        return status.ToRpcException();
    }

    /// <summary>
    /// The trap from the <c>google.rpc.Status</c> details of a failed call; false when the call
    /// did not end with a trap (or its details cannot be read).
    /// </summary>
    public static bool TryGetTrap(RpcException exception, [NotNullWhen(true)] out Trap? trap) => TryGetDetail(exception, out trap);

    /// <summary>
    /// The first detail of type <typeparamref name="T"/> in the <c>google.rpc.Status</c> of a
    /// failed call (<c>grpc-status-details-bin</c>); false when there is none or the details are malformed.
    /// </summary>
    public static bool TryGetDetail<T>(RpcException exception, [NotNullWhen(true)] out T? detail)
        where T : class, IMessage<T>, new()
    {
        ArgumentNullException.ThrowIfNull(exception);
        detail = null;
        try
        {
            detail = exception.GetRpcStatus()?.GetDetail<T>();
        }
        catch (InvalidProtocolBufferException)
        {
            // A malformed detail describes nothing; the status still says what happened.
        }
        return detail is not null;
    }
}

using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Sandbox.Grpc;
using Sandbox.V1;

namespace Sandbox.Client;

/// <summary>Reads the sandbox's structured error details from a failed call.</summary>
public static class RpcExceptionExtensions
{
    /// <summary>
    /// The trap that ended the call, from the <c>sandbox-trap-bin</c> trailer (see "Traps" in
    /// sandbox.proto); false when the call did not end with a trap.
    /// </summary>
    public static bool TryGetTrap(this RpcException exception, [NotNullWhen(true)] out Trap? trap)
    {
        ArgumentNullException.ThrowIfNull(exception);
        trap = null;
        var bytes = exception.Trailers.GetValueBytes(SandboxGrpc.TrapTrailerKey);
        if (bytes is null)
        {
            return false;
        }
        try
        {
            trap = Trap.Parser.ParseFrom(bytes);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            // A malformed detail is no trap we can describe; the status still says what happened.
            return false;
        }
    }
}

using System.Diagnostics.CodeAnalysis;
using Google.Rpc;
using Grpc.Core;
using Sandbox.V1;

namespace Sandbox.Client;

/// <summary>Reads the sandbox's structured error details (a <c>google.rpc.Status</c> in <c>grpc-status-details-bin</c>) from a failed call.</summary>
public static class RpcExceptionExtensions
{
    /// <summary>
    /// The trap that ended the call (see "Traps" in sandbox.proto); false when the call did not
    /// end with a trap.
    /// </summary>
    public static bool TryGetTrap(this RpcException exception, [NotNullWhen(true)] out Trap? trap) => TrapStatus.TryGetTrap(exception, out trap);

    /// <summary>
    /// The quota a RESOURCE_EXHAUSTED call ran into (subject <c>tenant:ID</c>, and the limit in
    /// its description); false for any other failure.
    /// </summary>
    public static bool TryGetQuotaFailure(this RpcException exception, [NotNullWhen(true)] out QuotaFailure? failure) => TrapStatus.TryGetDetail(exception, out failure);
}

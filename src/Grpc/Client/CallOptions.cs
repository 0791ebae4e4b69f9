namespace Sandbox.Grpc.Client;

/// <summary>Per-call options.</summary>
/// <param name="Headers">Custom request metadata.</param>
/// <param name="Deadline">When the call must be over (UTC); sent as <c>grpc-timeout</c> and enforced by the client too.</param>
/// <param name="CancellationToken">Cancels the call: the HTTP/2 stream is reset and the call ends with CANCELLED.</param>
public readonly record struct CallOptions(Metadata? Headers = null, DateTime? Deadline = null, CancellationToken CancellationToken = default);

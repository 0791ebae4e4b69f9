using Grpc.Net.Client;

namespace Sandbox.Client;

/// <summary>How a <see cref="SandboxClient"/> calls the server.</summary>
public sealed class SandboxClientOptions
{
    /// <summary>
    /// The tenant's API key, sent with every call as <c>authorization: Bearer KEY</c>. Null sends
    /// none (a server with no tenants configured accepts that on loopback).
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// How long a call may take when the caller gives no deadline; null (the default) sets no
    /// deadline. Streaming calls (<see cref="SandboxClient.WatchMetrics"/>) never get this default.
    /// </summary>
    public TimeSpan? DefaultTimeout { get; set; }

    /// <summary>
    /// A PEM file of the certificate authority that signed an <c>https://</c> server's
    /// certificate, trusted in addition to the system's (for a private or self-signed CA). Null
    /// trusts the system's store only. Ignored when the client is given a channel.
    /// </summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>Options of the channel the client creates from an address; ignored when it is given a channel.</summary>
    public GrpcChannelOptions? ChannelOptions { get; set; }
}

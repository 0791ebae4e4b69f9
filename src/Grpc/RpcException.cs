namespace Sandbox.Grpc;

/// <summary>
/// Thrown by a handler to end its call with a status, and by the client when a call ends with a
/// status other than OK. <see cref="Trailers"/> carries response trailers (for example a
/// structured error in a <c>-bin</c> entry).
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(Status status, Metadata? trailers = null)
        : base($"{status.StatusCode}: {status.Detail}")
    {
        Status = status;
        Trailers = trailers ?? Metadata.Empty;
    }

    public RpcException(StatusCode code, string detail, Metadata? trailers = null)
        : this(new Status(code, detail), trailers)
    {
    }

    public Status Status { get; }

    public StatusCode StatusCode => Status.StatusCode;

    public Metadata Trailers { get; }
}

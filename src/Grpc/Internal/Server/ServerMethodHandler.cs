namespace Sandbox.Grpc.Internal.Server;

/// <summary>One mapped method: reads its request(s), runs the handler behind the interceptors, writes the response(s).</summary>
internal abstract class ServerMethodHandler(string method, string serviceName)
{
    /// <summary>The HTTP/2 path, <c>/package.Service/Method</c>.</summary>
    public string Method { get; } = method;

    public string ServiceName { get; } = serviceName;

    /// <summary>Runs the call up to its last message; the caller then ends it with a status.</summary>
    public abstract Task HandleCallAsync(HttpServerCallContext call);
}

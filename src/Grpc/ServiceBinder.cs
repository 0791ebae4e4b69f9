using Google.Protobuf;

namespace Sandbox.Grpc;

/// <summary>
/// Collects a service's methods and handlers, as Grpc.Core's <c>ServiceBinderBase</c> does. A
/// service exposes a static <c>BindService(ServiceBinder, TService)</c> that calls these.
/// </summary>
public abstract class ServiceBinder
{
    /// <summary>The descriptor of the file that defines the service, for server reflection.</summary>
    public abstract void AddFileDescriptor(Google.Protobuf.Reflection.FileDescriptor file);

    public abstract void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>;

    public abstract void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>;

    public abstract void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>;

    public abstract void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>;
}

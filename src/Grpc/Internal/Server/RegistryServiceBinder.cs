using Google.Protobuf;
using Google.Protobuf.Reflection;
using Sandbox.Grpc.Server;

namespace Sandbox.Grpc.Internal.Server;

/// <summary>The binder a service's <c>BindService</c> fills: each method becomes a handler in the registry.</summary>
internal sealed class RegistryServiceBinder(ServerMethodRegistry registry, Interceptor[] interceptors) : ServiceBinder
{
    public override void AddFileDescriptor(FileDescriptor file) => registry.AddFile(file);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
        => registry.Add(new UnaryServerMethodHandler<TRequest, TResponse>(method, handler, interceptors));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
        => registry.Add(new ClientStreamingServerMethodHandler<TRequest, TResponse>(method, handler, interceptors));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
        => registry.Add(new ServerStreamingServerMethodHandler<TRequest, TResponse>(method, handler, interceptors));

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
        => registry.Add(new DuplexStreamingServerMethodHandler<TRequest, TResponse>(method, handler, interceptors));
}

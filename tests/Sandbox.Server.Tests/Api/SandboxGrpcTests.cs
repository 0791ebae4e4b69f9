using Google.Protobuf;
using Google.Protobuf.Reflection;
using Sandbox.Grpc;
using Sandbox.V1;

namespace Sandbox.Server.Tests.Api;

/// <summary>The hand-written SandboxGrpc must match sandbox.proto, as generated code would.</summary>
public sealed class SandboxGrpcTests
{
    [Fact]
    public void BindService_EveryRpcOfTheProto_IsBoundWithItsKindAndMessages()
    {
        var binder = new RecordingBinder();

        SandboxGrpc.BindService(binder, new EmptyService());

        var expected = SandboxGrpc.Descriptor.Methods
            .Select(m => ($"/{SandboxGrpc.ServiceName}/{m.Name}", KindOf(m), m.InputType.ClrType, m.OutputType.ClrType))
            .ToArray();
        Assert.Equal(expected, binder.Methods);
    }

    [Fact]
    public void BindService_Always_RegistersSandboxProtoForReflection()
    {
        var binder = new RecordingBinder();

        SandboxGrpc.BindService(binder, new EmptyService());

        Assert.Equal(["sandbox/v1/sandbox.proto"], binder.Files.Select(f => f.Name));
    }

    [Fact]
    public async Task SandboxBase_MethodNotOverridden_ThrowsUnimplemented()
    {
        var service = new EmptyService();

        var error = await Assert.ThrowsAsync<RpcException>(() => service.Invoke(new InvokeRequest(), null!));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal("sandbox.v1.Sandbox/Invoke is not implemented by this server.", error.Status.Detail);
    }

    private static MethodType KindOf(MethodDescriptor method) => (method.IsClientStreaming, method.IsServerStreaming) switch
    {
        (false, false) => MethodType.Unary,
        (true, false) => MethodType.ClientStreaming,
        (false, true) => MethodType.ServerStreaming,
        (true, true) => MethodType.DuplexStreaming,
    };

    private sealed class EmptyService : SandboxGrpc.SandboxBase
    {
    }

    private sealed class RecordingBinder : ServiceBinder
    {
        public List<FileDescriptor> Files { get; } = [];

        public List<(string Path, MethodType Kind, Type Request, Type Response)> Methods { get; } = [];

        public override void AddFileDescriptor(FileDescriptor file) => Files.Add(file);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
            => Record(method, MethodType.Unary);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
            => Record(method, MethodType.ClientStreaming);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
            => Record(method, MethodType.ServerStreaming);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
            => Record(method, MethodType.DuplexStreaming);

        private void Record<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodType handlerKind)
            where TRequest : class, IMessage<TRequest>
            where TResponse : class, IMessage<TResponse>
        {
            // The descriptor's kind and the handler's kind must agree, or the wire layer would
            // frame the call one way and run it another.
            Assert.Equal(method.Type, handlerKind);
            Methods.Add((method.FullName, method.Type, typeof(TRequest), typeof(TResponse)));
        }
    }
}

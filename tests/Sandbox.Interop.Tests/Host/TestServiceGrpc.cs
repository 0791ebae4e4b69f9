using Sandbox.Grpc;

namespace Grpc.Testing;

/// <summary>
/// The <c>grpc.testing.TestService</c> descriptors and base class, written by hand in the shape
/// Grpc.Tools would generate (our wire layer replaces Grpc.Core, so the messages are generated with
/// <c>GrpcServices="None"</c> and the service part lives here). Method names and kinds follow
/// <c>protos/grpc/testing/test.proto</c>.
/// </summary>
public static class TestService
{
    public const string ServiceName = "grpc.testing.TestService";

    public static readonly Method<Empty, Empty> EmptyCallMethod =
        new(MethodType.Unary, ServiceName, "EmptyCall", Empty.Parser, Empty.Parser);

    public static readonly Method<SimpleRequest, SimpleResponse> UnaryCallMethod =
        new(MethodType.Unary, ServiceName, "UnaryCall", SimpleRequest.Parser, SimpleResponse.Parser);

    public static readonly Method<SimpleRequest, SimpleResponse> CacheableUnaryCallMethod =
        new(MethodType.Unary, ServiceName, "CacheableUnaryCall", SimpleRequest.Parser, SimpleResponse.Parser);

    public static readonly Method<StreamingOutputCallRequest, StreamingOutputCallResponse> StreamingOutputCallMethod =
        new(MethodType.ServerStreaming, ServiceName, "StreamingOutputCall", StreamingOutputCallRequest.Parser, StreamingOutputCallResponse.Parser);

    public static readonly Method<StreamingInputCallRequest, StreamingInputCallResponse> StreamingInputCallMethod =
        new(MethodType.ClientStreaming, ServiceName, "StreamingInputCall", StreamingInputCallRequest.Parser, StreamingInputCallResponse.Parser);

    public static readonly Method<StreamingOutputCallRequest, StreamingOutputCallResponse> FullDuplexCallMethod =
        new(MethodType.DuplexStreaming, ServiceName, "FullDuplexCall", StreamingOutputCallRequest.Parser, StreamingOutputCallResponse.Parser);

    public static readonly Method<StreamingOutputCallRequest, StreamingOutputCallResponse> HalfDuplexCallMethod =
        new(MethodType.DuplexStreaming, ServiceName, "HalfDuplexCall", StreamingOutputCallRequest.Parser, StreamingOutputCallResponse.Parser);

    public static readonly Method<Empty, Empty> UnimplementedCallMethod =
        new(MethodType.Unary, ServiceName, "UnimplementedCall", Empty.Parser, Empty.Parser);

    /// <summary>
    /// The server side of the service. Every method answers UNIMPLEMENTED until overridden, as in
    /// generated code; the interop spec relies on this for <c>UnimplementedCall</c>.
    /// </summary>
    public abstract class TestServiceBase
    {
        public virtual Task<Empty> EmptyCall(Empty request, ServerCallContext context) =>
            throw Unimplemented(EmptyCallMethod.Name);

        public virtual Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context) =>
            throw Unimplemented(UnaryCallMethod.Name);

        public virtual Task<SimpleResponse> CacheableUnaryCall(SimpleRequest request, ServerCallContext context) =>
            throw Unimplemented(CacheableUnaryCallMethod.Name);

        public virtual Task StreamingOutputCall(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context) =>
            throw Unimplemented(StreamingOutputCallMethod.Name);

        public virtual Task<StreamingInputCallResponse> StreamingInputCall(IAsyncStreamReader<StreamingInputCallRequest> requestStream, ServerCallContext context) =>
            throw Unimplemented(StreamingInputCallMethod.Name);

        public virtual Task FullDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context) =>
            throw Unimplemented(FullDuplexCallMethod.Name);

        public virtual Task HalfDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context) =>
            throw Unimplemented(HalfDuplexCallMethod.Name);

        public virtual Task<Empty> UnimplementedCall(Empty request, ServerCallContext context) =>
            throw Unimplemented(UnimplementedCallMethod.Name);

        private static RpcException Unimplemented(string method) =>
            new(StatusCode.Unimplemented, $"Method {ServiceName}/{method} is not implemented.");
    }

    /// <summary>Registers every method of <paramref name="service"/> with the wire layer.</summary>
    public static void BindService(ServiceBinder binder, TestServiceBase service)
    {
        binder.AddFileDescriptor(TestReflection.Descriptor);
        binder.AddMethod(EmptyCallMethod, service.EmptyCall);
        binder.AddMethod(UnaryCallMethod, service.UnaryCall);
        binder.AddMethod(CacheableUnaryCallMethod, service.CacheableUnaryCall);
        binder.AddMethod(StreamingOutputCallMethod, service.StreamingOutputCall);
        binder.AddMethod(StreamingInputCallMethod, service.StreamingInputCall);
        binder.AddMethod(FullDuplexCallMethod, service.FullDuplexCall);
        binder.AddMethod(HalfDuplexCallMethod, service.HalfDuplexCall);
        binder.AddMethod(UnimplementedCallMethod, service.UnimplementedCall);
    }
}

using Sandbox.Grpc;

// In the proto's csharp_namespace, beside the messages, as grpc_csharp_plugin would put it.
namespace Sandbox.V1;

// Hand-written in the shape grpc_csharp_plugin generates (Grpc.Tools runs with GrpcServices="None"
// because Grpc.Core.Api cannot be restored here; see src/Grpc/Sandbox.Grpc.csproj). Keep it in
// step with protos/sandbox/v1/sandbox.proto: SandboxGrpcTests checks that every RPC of the
// descriptor is bound here with the right kind and message types.

/// <summary>The <c>sandbox.v1.Sandbox</c> service: method descriptors, a server base class and its binder.</summary>
public static partial class SandboxGrpc
{
    /// <summary>The fully qualified service name.</summary>
    public const string ServiceName = "sandbox.v1.Sandbox";

    /// <summary>The service's descriptor, from the generated reflection class.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => SandboxReflection.Descriptor.Services[0];

    /// <summary>
    /// The response trailer that carries a serialized <see cref="Trap"/> when a call ends because
    /// the guest trapped (see "Traps" in sandbox.proto).
    /// </summary>
    public const string TrapTrailerKey = "sandbox-trap-bin";

    public static readonly Method<CompileModuleRequest, CompileModuleResponse> CompileModuleMethod =
        new(MethodType.Unary, ServiceName, "CompileModule", CompileModuleRequest.Parser, CompileModuleResponse.Parser);

    public static readonly Method<DropModuleRequest, DropModuleResponse> DropModuleMethod =
        new(MethodType.Unary, ServiceName, "DropModule", DropModuleRequest.Parser, DropModuleResponse.Parser);

    public static readonly Method<InstantiateRequest, InstantiateResponse> InstantiateMethod =
        new(MethodType.Unary, ServiceName, "Instantiate", InstantiateRequest.Parser, InstantiateResponse.Parser);

    public static readonly Method<InvokeRequest, InvokeResponse> InvokeMethod =
        new(MethodType.Unary, ServiceName, "Invoke", InvokeRequest.Parser, InvokeResponse.Parser);

    public static readonly Method<ExecuteRequest, ExecuteResponse> ExecuteMethod =
        new(MethodType.Unary, ServiceName, "Execute", ExecuteRequest.Parser, ExecuteResponse.Parser);

    public static readonly Method<MallocRequest, MallocResponse> MallocMethod =
        new(MethodType.Unary, ServiceName, "Malloc", MallocRequest.Parser, MallocResponse.Parser);

    public static readonly Method<FreeRequest, FreeResponse> FreeMethod =
        new(MethodType.Unary, ServiceName, "Free", FreeRequest.Parser, FreeResponse.Parser);

    public static readonly Method<ReadMemoryRequest, ReadMemoryResponse> ReadMemoryMethod =
        new(MethodType.Unary, ServiceName, "ReadMemory", ReadMemoryRequest.Parser, ReadMemoryResponse.Parser);

    public static readonly Method<ReadMemoryRequest, MemoryChunk> ReadMemoryStreamMethod =
        new(MethodType.ServerStreaming, ServiceName, "ReadMemoryStream", ReadMemoryRequest.Parser, MemoryChunk.Parser);

    public static readonly Method<WriteMemoryRequest, WriteMemoryResponse> WriteMemoryMethod =
        new(MethodType.Unary, ServiceName, "WriteMemory", WriteMemoryRequest.Parser, WriteMemoryResponse.Parser);

    public static readonly Method<WriteMemoryRequest, WriteMemoryResponse> WriteMemoryStreamMethod =
        new(MethodType.ClientStreaming, ServiceName, "WriteMemoryStream", WriteMemoryRequest.Parser, WriteMemoryResponse.Parser);

    public static readonly Method<GrowMemoryRequest, GrowMemoryResponse> GrowMemoryMethod =
        new(MethodType.Unary, ServiceName, "GrowMemory", GrowMemoryRequest.Parser, GrowMemoryResponse.Parser);

    public static readonly Method<GetMemoryInfoRequest, GetMemoryInfoResponse> GetMemoryInfoMethod =
        new(MethodType.Unary, ServiceName, "GetMemoryInfo", GetMemoryInfoRequest.Parser, GetMemoryInfoResponse.Parser);

    public static readonly Method<DropInstanceRequest, DropInstanceResponse> DropInstanceMethod =
        new(MethodType.Unary, ServiceName, "DropInstance", DropInstanceRequest.Parser, DropInstanceResponse.Parser);

    public static readonly Method<ListInstancesRequest, ListInstancesResponse> ListInstancesMethod =
        new(MethodType.Unary, ServiceName, "ListInstances", ListInstancesRequest.Parser, ListInstancesResponse.Parser);

    public static readonly Method<GetUsageRequest, GetUsageResponse> GetUsageMethod =
        new(MethodType.Unary, ServiceName, "GetUsage", GetUsageRequest.Parser, GetUsageResponse.Parser);

    public static readonly Method<WatchMetricsRequest, MetricsSample> WatchMetricsMethod =
        new(MethodType.ServerStreaming, ServiceName, "WatchMetrics", WatchMetricsRequest.Parser, MetricsSample.Parser);

    /// <summary>
    /// The server side of the service. Every method answers UNIMPLEMENTED until a subclass
    /// overrides it, so that a server can grow one RPC at a time.
    /// </summary>
    public abstract class SandboxBase
    {
        /// <summary>See <c>rpc CompileModule</c> in sandbox.proto.</summary>
        public virtual Task<CompileModuleResponse> CompileModule(CompileModuleRequest request, ServerCallContext context) => throw Unimplemented("CompileModule");

        /// <summary>See <c>rpc Instantiate</c> in sandbox.proto.</summary>
        public virtual Task<InstantiateResponse> Instantiate(InstantiateRequest request, ServerCallContext context) => throw Unimplemented("Instantiate");

        /// <summary>See <c>rpc Invoke</c> in sandbox.proto.</summary>
        public virtual Task<InvokeResponse> Invoke(InvokeRequest request, ServerCallContext context) => throw Unimplemented("Invoke");

        /// <summary>See <c>rpc Execute</c> in sandbox.proto.</summary>
        public virtual Task<ExecuteResponse> Execute(ExecuteRequest request, ServerCallContext context) => throw Unimplemented("Execute");

        /// <summary>See <c>rpc Malloc</c> in sandbox.proto.</summary>
        public virtual Task<MallocResponse> Malloc(MallocRequest request, ServerCallContext context) => throw Unimplemented("Malloc");

        /// <summary>See <c>rpc Free</c> in sandbox.proto.</summary>
        public virtual Task<FreeResponse> Free(FreeRequest request, ServerCallContext context) => throw Unimplemented("Free");

        /// <summary>See <c>rpc ReadMemory</c> in sandbox.proto.</summary>
        public virtual Task<ReadMemoryResponse> ReadMemory(ReadMemoryRequest request, ServerCallContext context) => throw Unimplemented("ReadMemory");

        /// <summary>See <c>rpc ReadMemoryStream</c> in sandbox.proto.</summary>
        public virtual Task ReadMemoryStream(ReadMemoryRequest request, IServerStreamWriter<MemoryChunk> responseStream, ServerCallContext context) => throw Unimplemented("ReadMemoryStream");

        /// <summary>See <c>rpc WriteMemory</c> in sandbox.proto.</summary>
        public virtual Task<WriteMemoryResponse> WriteMemory(WriteMemoryRequest request, ServerCallContext context) => throw Unimplemented("WriteMemory");

        /// <summary>See <c>rpc WriteMemoryStream</c> in sandbox.proto.</summary>
        public virtual Task<WriteMemoryResponse> WriteMemoryStream(IAsyncStreamReader<WriteMemoryRequest> requestStream, ServerCallContext context) => throw Unimplemented("WriteMemoryStream");

        /// <summary>See <c>rpc GrowMemory</c> in sandbox.proto.</summary>
        public virtual Task<GrowMemoryResponse> GrowMemory(GrowMemoryRequest request, ServerCallContext context) => throw Unimplemented("GrowMemory");

        /// <summary>See <c>rpc GetMemoryInfo</c> in sandbox.proto.</summary>
        public virtual Task<GetMemoryInfoResponse> GetMemoryInfo(GetMemoryInfoRequest request, ServerCallContext context) => throw Unimplemented("GetMemoryInfo");

        /// <summary>See <c>rpc DropModule</c> in sandbox.proto.</summary>
        public virtual Task<DropModuleResponse> DropModule(DropModuleRequest request, ServerCallContext context) => throw Unimplemented("DropModule");

        /// <summary>See <c>rpc DropInstance</c> in sandbox.proto.</summary>
        public virtual Task<DropInstanceResponse> DropInstance(DropInstanceRequest request, ServerCallContext context) => throw Unimplemented("DropInstance");

        /// <summary>See <c>rpc ListInstances</c> in sandbox.proto.</summary>
        public virtual Task<ListInstancesResponse> ListInstances(ListInstancesRequest request, ServerCallContext context) => throw Unimplemented("ListInstances");

        /// <summary>See <c>rpc GetUsage</c> in sandbox.proto.</summary>
        public virtual Task<GetUsageResponse> GetUsage(GetUsageRequest request, ServerCallContext context) => throw Unimplemented("GetUsage");

        /// <summary>See <c>rpc WatchMetrics</c> in sandbox.proto.</summary>
        public virtual Task WatchMetrics(WatchMetricsRequest request, IServerStreamWriter<MetricsSample> responseStream, ServerCallContext context) => throw Unimplemented("WatchMetrics");

        private static RpcException Unimplemented(string method) =>
            new(StatusCode.Unimplemented, $"{ServiceName}/{method} is not implemented by this server.");
    }

    /// <summary>Registers the service's methods and its file descriptor (for reflection) with a binder.</summary>
    public static void BindService(ServiceBinder binder, SandboxBase service)
    {
        ArgumentNullException.ThrowIfNull(binder);
        ArgumentNullException.ThrowIfNull(service);
        binder.AddFileDescriptor(SandboxReflection.Descriptor);
        binder.AddMethod(CompileModuleMethod, new UnaryServerMethod<CompileModuleRequest, CompileModuleResponse>(service.CompileModule));
        binder.AddMethod(DropModuleMethod, new UnaryServerMethod<DropModuleRequest, DropModuleResponse>(service.DropModule));
        binder.AddMethod(InstantiateMethod, new UnaryServerMethod<InstantiateRequest, InstantiateResponse>(service.Instantiate));
        binder.AddMethod(InvokeMethod, new UnaryServerMethod<InvokeRequest, InvokeResponse>(service.Invoke));
        binder.AddMethod(ExecuteMethod, new UnaryServerMethod<ExecuteRequest, ExecuteResponse>(service.Execute));
        binder.AddMethod(MallocMethod, new UnaryServerMethod<MallocRequest, MallocResponse>(service.Malloc));
        binder.AddMethod(FreeMethod, new UnaryServerMethod<FreeRequest, FreeResponse>(service.Free));
        binder.AddMethod(ReadMemoryMethod, new UnaryServerMethod<ReadMemoryRequest, ReadMemoryResponse>(service.ReadMemory));
        binder.AddMethod(ReadMemoryStreamMethod, new ServerStreamingServerMethod<ReadMemoryRequest, MemoryChunk>(service.ReadMemoryStream));
        binder.AddMethod(WriteMemoryMethod, new UnaryServerMethod<WriteMemoryRequest, WriteMemoryResponse>(service.WriteMemory));
        binder.AddMethod(WriteMemoryStreamMethod, new ClientStreamingServerMethod<WriteMemoryRequest, WriteMemoryResponse>(service.WriteMemoryStream));
        binder.AddMethod(GrowMemoryMethod, new UnaryServerMethod<GrowMemoryRequest, GrowMemoryResponse>(service.GrowMemory));
        binder.AddMethod(GetMemoryInfoMethod, new UnaryServerMethod<GetMemoryInfoRequest, GetMemoryInfoResponse>(service.GetMemoryInfo));
        binder.AddMethod(DropInstanceMethod, new UnaryServerMethod<DropInstanceRequest, DropInstanceResponse>(service.DropInstance));
        binder.AddMethod(ListInstancesMethod, new UnaryServerMethod<ListInstancesRequest, ListInstancesResponse>(service.ListInstances));
        binder.AddMethod(GetUsageMethod, new UnaryServerMethod<GetUsageRequest, GetUsageResponse>(service.GetUsage));
        binder.AddMethod(WatchMetricsMethod, new ServerStreamingServerMethod<WatchMetricsRequest, MetricsSample>(service.WatchMetrics));
    }
}

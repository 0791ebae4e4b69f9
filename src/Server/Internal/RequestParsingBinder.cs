using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Sandbox.Server.Internal;

/// <summary>
/// Binds a service as a <see cref="ServerServiceDefinition"/> whose methods read their requests
/// with a deserializer that answers a body that is not a message of the request type (random
/// bytes, a truncated message, a string that is not UTF-8, ...) with INVALID_ARGUMENT.
/// </summary>
/// <remarks>
/// grpc-dotnet reads the request before any interceptor runs, with the request marshaller of the
/// generated <see cref="Method{TRequest,TResponse}"/>, and answers an exception from it as from a
/// handler: UNKNOWN "Exception was thrown by handler.", logged at Error with its stack. It answers
/// an <see cref="RpcException"/> with that exception's status, so the wrapped deserializer throws
/// one. The generated methods are static, so the service is mapped from the definition this
/// binder builds (<c>MapGrpcService(ServerServiceDefinition)</c>) rather than by type.
/// </remarks>
internal sealed class RequestParsingBinder : ServiceBinderBase
{
    private readonly ServerServiceDefinition.Builder builder = ServerServiceDefinition.CreateBuilder();
    private readonly ILogger logger;

    private RequestParsingBinder(ILogger logger) => this.logger = logger;

    /// <summary>The definition of the service that <paramref name="bind"/> (a generated <c>BindService</c>) binds.</summary>
    /// <param name="logger">Where a request that does not parse is logged, at Debug: it is the client's mistake.</param>
    /// <param name="bind">The generated <c>BindService(ServiceBinderBase, TServiceBase)</c>, with the service's instance.</param>
    public static ServerServiceDefinition Bind(ILogger logger, Action<ServiceBinderBase> bind)
    {
        var binder = new RequestParsingBinder(logger);
        bind(binder);
        return binder.builder.Build();
    }

    /// <inheritdoc/>
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
        builder.AddMethod(Parsing(method), handler ?? throw new ArgumentNullException(nameof(handler)));

    /// <inheritdoc/>
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
        builder.AddMethod(Parsing(method), handler ?? throw new ArgumentNullException(nameof(handler)));

    /// <inheritdoc/>
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
        builder.AddMethod(Parsing(method), handler ?? throw new ArgumentNullException(nameof(handler)));

    /// <inheritdoc/>
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
        builder.AddMethod(Parsing(method), handler ?? throw new ArgumentNullException(nameof(handler)));

    /// <summary>The method with a request deserializer that turns a parse failure into INVALID_ARGUMENT.</summary>
    private Method<TRequest, TResponse> Parsing<TRequest, TResponse>(Method<TRequest, TResponse> method)
    {
        var deserialize = method.RequestMarshaller.ContextualDeserializer;
        var typeName = typeof(TRequest).Name;
        var requests = new Marshaller<TRequest>(method.RequestMarshaller.ContextualSerializer, context =>
        {
            try
            {
                return deserialize(context);
            }
            catch (InvalidProtocolBufferException e)
            {
                // Google.Protobuf's one exception for bytes that do not parse (malformed varint,
                // invalid tag or wire type, truncated field, invalid UTF-8, recursion limit).
                ServerLog.RequestNotParsed(logger, method.FullName, e.Message);
                throw NotParsed(typeName, e);
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, requests, method.ResponseMarshaller);
    }

    private static RpcException NotParsed(string typeName, InvalidProtocolBufferException e) =>
        new(new Status(StatusCode.InvalidArgument, $"the request could not be parsed as {typeName}: {e.Message}"));
}

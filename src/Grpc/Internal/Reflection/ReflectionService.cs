using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;
using Sandbox.Grpc.Internal.Server;

namespace Sandbox.Grpc.Internal.Reflection;

/// <summary>
/// gRPC server reflection (grpc/grpc doc/server-reflection.md), so that grpcurl, grpc_cli and
/// Postman can list the services and fetch their proto files.
/// </summary>
/// <remarks>
/// <c>grpc.reflection.v1alpha</c> and <c>grpc.reflection.v1</c> define the same messages with the
/// same field numbers; only the package differs. Their bytes on the wire are identical, so the
/// v1alpha method is served with the v1 message types and one implementation serves both.
/// </remarks>
internal sealed class ReflectionService(ServerMethodRegistry registry)
{
    public static readonly Method<ServerReflectionRequest, ServerReflectionResponse> V1Method =
        new(MethodType.DuplexStreaming, "grpc.reflection.v1.ServerReflection", "ServerReflectionInfo", ServerReflectionRequest.Parser, ServerReflectionResponse.Parser);

    public static readonly Method<ServerReflectionRequest, ServerReflectionResponse> V1AlphaMethod =
        new(MethodType.DuplexStreaming, "grpc.reflection.v1alpha.ServerReflection", "ServerReflectionInfo", ServerReflectionRequest.Parser, ServerReflectionResponse.Parser);

    public void Bind(ServiceBinder binder)
    {
        binder.AddFileDescriptor(ReflectionReflection.Descriptor);
        binder.AddFileDescriptor(global::Grpc.Reflection.V1Alpha.ReflectionReflection.Descriptor);
        binder.AddMethod(V1Method, ServerReflectionInfo);
        binder.AddMethod(V1AlphaMethod, ServerReflectionInfo);
    }

    private async Task ServerReflectionInfo(IAsyncStreamReader<ServerReflectionRequest> requests, IServerStreamWriter<ServerReflectionResponse> responses, ServerCallContext context)
    {
        // Built per stream: reflection is rare, and this sees services mapped after the first call.
        var index = new DescriptorIndex(registry.Files);
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            await responses.WriteAsync(Answer(requests.Current, index), context.CancellationToken).ConfigureAwait(false);
        }
    }

    private ServerReflectionResponse Answer(ServerReflectionRequest request, DescriptorIndex index)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                var list = new ListServiceResponse();
                foreach (var name in registry.ServiceNames.Order(StringComparer.Ordinal))
                {
                    list.Service.Add(new ServiceResponse { Name = name });
                }
                response.ListServicesResponse = list;
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFile(response, index.FindFile(request.FileByFilename), $"File '{request.FileByFilename}' not found.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFile(response, index.FindSymbol(request.FileContainingSymbol), $"Symbol '{request.FileContainingSymbol}' not found.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                // proto3 has no extensions, and none of our files declares any.
                response.ErrorResponse = Error(StatusCode.NotFound, "Extensions are not supported.");
                break;
            default:
                response.ErrorResponse = Error(StatusCode.Unimplemented, "Unknown reflection request.");
                break;
        }
        return response;
    }

    /// <summary>
    /// The file and, after it, everything it imports, transitively: server-reflection.md asks for
    /// "the requested file and all its transitive dependencies" so the client can build it.
    /// </summary>
    private static void SetFile(ServerReflectionResponse response, FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            response.ErrorResponse = Error(StatusCode.NotFound, notFound);
            return;
        }
        var files = new FileDescriptorResponse();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<FileDescriptor>();
        pending.Push(file);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next.Name))
            {
                continue;
            }
            files.FileDescriptorProto.Add(next.SerializedData);
            for (var i = next.Dependencies.Count - 1; i >= 0; i--)
            {
                pending.Push(next.Dependencies[i]);
            }
        }
        response.FileDescriptorResponse = files;
    }

    private static ErrorResponse Error(StatusCode code, string message) => new() { ErrorCode = (int)code, ErrorMessage = message };
}

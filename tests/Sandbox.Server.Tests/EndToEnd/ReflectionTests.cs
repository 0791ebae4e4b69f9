using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Sandbox.Server.Tests.Infrastructure;
using Sandbox.V1;

namespace Sandbox.Server.Tests.EndToEnd;

/// <summary>Server reflection lets generic tools (grpcurl, Postman) discover and call the API.</summary>
[Collection(ServerCollection.Name)]
public sealed class ReflectionTests(SandboxServerFixture fixture)
{
    [Fact]
    public async Task ListServices_RunningServer_IncludesSandboxAndHealth()
    {
        var response = await AskAsync(new ServerReflectionRequest { ListServices = "" });

        var names = response.ListServicesResponse.Service.Select(s => s.Name).ToArray();
        Assert.Contains(SandboxGrpc.ServiceName, names);
        Assert.Contains("grpc.health.v1.Health", names);
    }

    [Fact]
    public async Task FileContainingSymbol_SandboxService_ReturnsSandboxProtoWithEveryRpc()
    {
        var response = await AskAsync(new ServerReflectionRequest { FileContainingSymbol = SandboxGrpc.ServiceName });

        var files = response.FileDescriptorResponse.FileDescriptorProto.Select(b => FileDescriptorProto.Parser.ParseFrom(b)).ToArray();
        var sandbox = Assert.Single(files, f => f.Name == "sandbox/v1/sandbox.proto");
        var service = Assert.Single(sandbox.Service);
        Assert.Equal(V1.Sandbox.Descriptor.Methods.Select(m => m.Name), service.Method.Select(m => m.Name));
    }

    [Fact]
    public async Task FileByFilename_ImportOfSandboxProto_IsServedToo()
    {
        // A client resolving sandbox.proto must be able to fetch what it imports.
        var response = await AskAsync(new ServerReflectionRequest { FileByFilename = "google/protobuf/duration.proto" });

        var file = FileDescriptorProto.Parser.ParseFrom(response.FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("google/protobuf/duration.proto", file.Name);
    }

    private async Task<ServerReflectionResponse> AskAsync(ServerReflectionRequest request)
    {
        using var channel = GrpcChannel.ForAddress(fixture.Address);
        using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(10));
        await call.RequestStream.WriteAsync(request);
        await call.RequestStream.CompleteAsync();

        Assert.True(await call.ResponseStream.MoveNext());
        var response = call.ResponseStream.Current;
        Assert.NotEqual(ServerReflectionResponse.MessageResponseOneofCase.ErrorResponse, response.MessageResponseCase);
        return response;
    }
}

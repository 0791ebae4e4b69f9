using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;
using Sandbox.Grpc.Client;
using Sandbox.Grpc.Internal.Reflection;
using Sandbox.Grpc.Tests.Infrastructure;

namespace Sandbox.Grpc.Tests.EndToEnd;

public class ReflectionTests
{
    public static TheoryData<string> ReflectionServices => ["grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"];

    [Theory]
    [MemberData(nameof(ReflectionServices))]
    public async Task ListServices_EveryMappedService(string service)
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var response = await AskAsync(channel, service, new ServerReflectionRequest { ListServices = "*" });

        Assert.Equal(
            ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", TestService.ServiceName],
            response.ListServicesResponse.Service.Select(s => s.Name));
    }

    [Fact]
    public async Task FileContainingSymbol_Service_ReturnsItsFile()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var response = await AskAsync(channel, "grpc.reflection.v1.ServerReflection", new ServerReflectionRequest { FileContainingSymbol = "grpc.health.v1.Health" });

        var file = FileDescriptorProto.Parser.ParseFrom(response.FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("grpc/health/v1/health.proto", file.Name);
        Assert.Contains(file.Service, s => s.Name == "Health");
    }

    [Theory]
    [InlineData("grpc.health.v1.Health.Check")]                          // a method
    [InlineData("grpc.health.v1.HealthCheckResponse.ServingStatus")]     // a nested enum
    [InlineData(".grpc.health.v1.HealthCheckRequest")]                   // a message, with the leading dot
    public async Task FileContainingSymbol_NestedSymbols_Found(string symbol)
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var response = await AskAsync(channel, "grpc.reflection.v1.ServerReflection", new ServerReflectionRequest { FileContainingSymbol = symbol });

        Assert.Equal(ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse, response.MessageResponseCase);
    }

    [Fact]
    public async Task FileByFilename_Unknown_NotFoundError()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var response = await AskAsync(channel, "grpc.reflection.v1.ServerReflection", new ServerReflectionRequest { FileByFilename = "no/such.proto" });

        Assert.Equal((int)StatusCode.NotFound, response.ErrorResponse.ErrorCode);
    }

    [Fact]
    public async Task FileByFilename_FileWithImports_IncludesTransitiveDependencies()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        var response = await AskAsync(channel, "grpc.reflection.v1.ServerReflection", new ServerReflectionRequest { FileByFilename = "google/protobuf/api.proto" });

        var names = response.FileDescriptorResponse.FileDescriptorProto.Select(bytes => FileDescriptorProto.Parser.ParseFrom(bytes).Name).ToList();
        Assert.Equal("google/protobuf/api.proto", names[0]); // the file asked for comes first
        Assert.Equal(
            ["google/protobuf/any.proto", "google/protobuf/api.proto", "google/protobuf/source_context.proto", "google/protobuf/type.proto"],
            names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DescriptorIndex_RegisteredFile_IndexesFieldsAndImports()
    {
        var index = new DescriptorIndex([Google.Protobuf.WellKnownTypes.ApiReflection.Descriptor]);

        Assert.NotNull(index.FindFile("google/protobuf/any.proto"));       // imported by type.proto, two levels down
        Assert.NotNull(index.FindSymbol("google.protobuf.Api.methods"));    // a field
        Assert.NotNull(index.FindSymbol("google.protobuf.Syntax.SYNTAX_PROTO3")); // an enum value
        Assert.Null(index.FindSymbol("google.protobuf.Nothing"));
    }

    private static async Task<ServerReflectionResponse> AskAsync(GrpcChannel channel, string service, ServerReflectionRequest request)
    {
        var method = new Method<ServerReflectionRequest, ServerReflectionResponse>(
            MethodType.DuplexStreaming, service, "ServerReflectionInfo", ServerReflectionRequest.Parser, ServerReflectionResponse.Parser);
        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(method, new CallOptions());
        await call.RequestStream.WriteAsync(request);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext());
        var response = call.ResponseStream.Current;
        Assert.False(await call.ResponseStream.MoveNext());
        return response;
    }
}

using Sandbox.Grpc.Client;

namespace Sandbox.Grpc.Tests.Protocol;

public class GrpcChannelTests
{
    [Theory]
    [InlineData("localhost:50051", "http://localhost:50051/")]       // bare host:port means h2c
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("https://sandbox.example:443", "https://sandbox.example/")]
    [InlineData("http://[::1]:5000", "http://[::1]:5000/")]
    public void ForAddress_SupportedForms_NormalizesAddress(string address, string expected)
    {
        using var channel = GrpcChannel.ForAddress(address);

        Assert.Equal(expected, channel.Address.ToString());
    }

    [Theory]
    [InlineData("ftp://host:21")]
    [InlineData("http://")]
    [InlineData(" ")]
    public void ForAddress_NotHttp_Throws(string address)
    {
        Assert.ThrowsAny<ArgumentException>(() => GrpcChannel.ForAddress(address));
    }

    [Fact]
    public void CreateCallInvoker_AfterDispose_Throws()
    {
        var channel = GrpcChannel.ForAddress("localhost:1");
        channel.Dispose();

        Assert.Throws<ObjectDisposedException>(() => channel.CreateCallInvoker());
    }
}

using System.Net;
using Sandbox.Server.Internal;

namespace Sandbox.Server.Tests.Hosting;

public sealed class ListenAddressTests
{
    // The host kind is passed by name: ListenHost is internal, and xunit needs public test methods.
    [Theory]
    [InlineData("http://localhost:50051", "Loopback", null, 50051)]
    [InlineData("HTTP://LOCALHOST:50051/", "Loopback", null, 50051)]
    [InlineData("http://127.0.0.1:0", "Address", "127.0.0.1", 0)]
    [InlineData("http://[::1]:8080", "Address", "::1", 8080)]
    [InlineData("http://0.0.0.0:50051", "Any", null, 50051)]
    [InlineData("http://*:50051", "Any", null, 50051)]
    [InlineData("http://[::]:65535", "Any", null, 65535)]
    [InlineData("  http://10.1.2.3:1  ", "Address", "10.1.2.3", 1)]
    public void TryParse_ValidAddress_GivesHostAndPort(string text, string host, string? ip, int port)
    {
        Assert.True(ListenAddress.TryParse(text, out var error, out var address), error);

        Assert.Equal(new ListenAddress(Enum.Parse<ListenHost>(host), ip is null ? null : IPAddress.Parse(ip), port), address);
    }

    [Theory]
    [InlineData("https://localhost:50051", "Loopback", null, 50051)]
    [InlineData("HTTPS://127.0.0.1:0", "Address", "127.0.0.1", 0)]
    [InlineData("https://0.0.0.0:443", "Any", null, 443)]
    public void TryParse_HttpsAddress_GivesHostPortAndTls(string text, string host, string? ip, int port)
    {
        Assert.True(ListenAddress.TryParse(text, out var error, out var address), error);

        Assert.Equal(new ListenAddress(Enum.Parse<ListenHost>(host), ip is null ? null : IPAddress.Parse(ip), port, Tls: true), address);
    }

    [Theory]
    [InlineData("ftp://localhost:50051", "must start with http://")]
    [InlineData("localhost:50051", "must start with http://")]
    [InlineData("http://localhost", "has no port")]
    [InlineData("http://[::1]", "has no port")]
    [InlineData("http://localhost:65536", "invalid port")]
    [InlineData("http://localhost:-1", "invalid port")]
    [InlineData("http://localhost:", "invalid port")]
    [InlineData("http://example.com:80", "neither localhost")]
    public void TryParse_InvalidAddress_SaysWhy(string text, string reason)
    {
        Assert.False(ListenAddress.TryParse(text, out var error, out _));

        Assert.Contains(reason, error);
    }

    [Fact]
    public void ParseList_SemicolonSeparated_GivesEveryEntryInOrder()
    {
        var addresses = ListenAddress.ParseList("http://127.0.0.1:1; http://[::1]:2;");

        Assert.Equal([1, 2], addresses.Select(a => a.Port));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ; ")]
    [InlineData("http://127.0.0.1:1;tcp://127.0.0.1:2")]
    public void ParseList_EmptyOrInvalidEntry_ThrowsNamingTheSetting(string text)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ListenAddress.ParseList(text));

        Assert.Contains("Sandbox:Listen", error.Message);
    }
}

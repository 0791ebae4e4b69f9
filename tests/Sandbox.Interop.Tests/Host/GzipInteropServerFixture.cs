namespace Sandbox.Interop.Tests.Host;

/// <summary>The interop host with gzip responses for every client that accepts them.</summary>
public sealed class GzipInteropServerFixture() : InteropServerFixture(responseCompression: "gzip");

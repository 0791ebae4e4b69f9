using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Health.V1;
using Sandbox.Cli;
using Sandbox.Client;

namespace Sandbox.Server.Tests.EndToEnd;

/// <summary>
/// <c>--listen https://…</c> end to end: a certificate authority and a server certificate for
/// 127.0.0.1 made here, given to Kestrel as PEM files (<c>Kestrel:Certificates:Default</c>), and
/// the client and CLI trusting the CA file; and a second server whose tenants are identified by
/// TLS client certificates they pin (<c>Sandbox:Tenants:N:ClientCertificateSha256</c>) or by API key.
/// </summary>
public sealed class TlsTests : IAsyncLifetime
{
    private const string KeyedTenantKey = "keyed-tls-key";
    private readonly string directory = Directory.CreateTempSubdirectory("sandbox-tls-").FullName;
    private SandboxServer? server;
    private SandboxServer? pinningServer;
    private X509Certificate2? caCertificate;
    private X509Certificate2? pinnedClient;
    private X509Certificate2? unpinnedClient;

    private string CaPath => Path.Combine(directory, "ca.pem");

    private string Address => server!.Address.GetLeftPart(UriPartial.Authority);

    public async Task InitializeAsync()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Sandbox test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        caCertificate = X509CertificateLoader.LoadCertificate(ca.RawData);
        pinnedClient = ClientCertificate(ca, "CN=pinned client", [5]);
        unpinnedClient = ClientCertificate(ca, "CN=unpinned client", [6]);

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var serverCertificate = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), [1, 2, 3, 4]);

        await File.WriteAllTextAsync(CaPath, ca.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(directory, "server.pem"), serverCertificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(directory, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());

        server = await SandboxServerHost.StartAsync(["--listen", "https://127.0.0.1:0"], new Dictionary<string, string?>
        {
            ["Kestrel:Certificates:Default:Path"] = Path.Combine(directory, "server.pem"),
            ["Kestrel:Certificates:Default:KeyPath"] = Path.Combine(directory, "server.key"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
        });
        pinningServer = await SandboxServerHost.StartAsync(["--listen", "https://127.0.0.1:0"], new Dictionary<string, string?>
        {
            ["Kestrel:Certificates:Default:Path"] = Path.Combine(directory, "server.pem"),
            ["Kestrel:Certificates:Default:KeyPath"] = Path.Combine(directory, "server.key"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Sandbox:Tenants:0:Id"] = "certified",
            // As `openssl x509 -in client.pem -outform der | sha256sum` prints it.
            ["Sandbox:Tenants:0:ClientCertificateSha256:0"] = Convert.ToHexStringLower(SHA256.HashData(pinnedClient.RawData)),
            ["Sandbox:Tenants:1:Id"] = "keyed",
            ["Sandbox:Tenants:1:ApiKeySha256:0"] = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(KeyedTenantKey))),
        });
    }

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
        if (pinningServer is not null) await pinningServer.DisposeAsync();
        caCertificate?.Dispose();
        pinnedClient?.Dispose();
        unpinnedClient?.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Client_HttpsWithCaFile_CallsOverTls()
    {
        Assert.StartsWith("https://", Address);
        using var client = new SandboxClient(Address, new SandboxClientOptions { CaCertificatePath = CaPath, DefaultTimeout = TimeSpan.FromSeconds(10) });

        var usage = await client.GetUsageAsync();

        Assert.Equal("dev", usage.TenantId);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await client.CheckHealthAsync());
    }

    [Fact]
    public async Task Client_HttpsWithoutCaFile_RefusesTheUntrustedCertificate()
    {
        using var client = new SandboxClient(Address, new SandboxClientOptions { DefaultTimeout = TimeSpan.FromSeconds(10) });

        var error = await Assert.ThrowsAsync<RpcException>(() => client.GetUsageAsync());

        // Grpc.Net.Client reports a failed TLS handshake as INTERNAL "Error starting gRPC call".
        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("SSL connection could not be established", error.Status.DebugException?.ToString() ?? error.Status.Detail);
    }

    [Fact]
    public async Task Cli_HealthWithCaFile_PrintsServing()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await SandboxCli.RunAsync(["--address", Address, "--ca-file", CaPath, "--timeout", "10s", "health"], output, error);

        Assert.Equal(0, exitCode);
        Assert.Equal("SERVING", output.ToString().Trim());
    }

    [Fact]
    public async Task StartAsync_HttpsWithoutCertificate_FailsNamingTheSetting()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => SandboxServerHost.StartAsync(["--listen", "https://127.0.0.1:0"]));

        Assert.Contains("Kestrel:Certificates:Default", failure.ToString());
    }

    [Fact]
    public async Task GetUsage_PinnedClientCertificate_ServesItsTenantWithoutAKey()
    {
        var usage = await PinningServerCallAsync(pinnedClient, apiKey: null);

        Assert.Equal("certified", usage.TenantId);
    }

    [Fact]
    public async Task GetUsage_CertificateNoTenantPinsAndNoKey_FailsUnauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => PinningServerCallAsync(unpinnedClient, apiKey: null));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task GetUsage_ApiKeyWithoutCertificate_ServesTheKeysTenant()
    {
        // Certificates are asked for, not required: API keys work beside them.
        var usage = await PinningServerCallAsync(certificate: null, KeyedTenantKey);

        Assert.Equal("keyed", usage.TenantId);
    }

    [Fact]
    public async Task GetUsage_UnpinnedCertificateWithAKey_ServesTheKeysTenant()
    {
        var usage = await PinningServerCallAsync(unpinnedClient, KeyedTenantKey);

        Assert.Equal("keyed", usage.TenantId);
    }

    [Fact]
    public async Task StartAsync_ClientCertificateHashNotHex_FailsNamingTheSetting()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => SandboxServerHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Sandbox:Listen"] = "http://127.0.0.1:0",
            ["Sandbox:Tenants:0:Id"] = "certified",
            ["Sandbox:Tenants:0:ClientCertificateSha256:0"] = "not-a-hash",
        }));

        Assert.Contains("Sandbox:Tenants:0:ClientCertificateSha256", failure.ToString());
    }

    /// <summary>GetUsage on the pinning server over TLS, presenting <paramref name="certificate"/> (or none) and <paramref name="apiKey"/> (or none).</summary>
    private async Task<V1.GetUsageResponse> PinningServerCallAsync(X509Certificate2? certificate, string? apiKey)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck, CustomTrustStore = { caCertificate! } };
        if (certificate is not null) handler.SslOptions.ClientCertificates = [certificate];
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(pinningServer!.Address.GetLeftPart(UriPartial.Authority), new Grpc.Net.Client.GrpcChannelOptions { HttpHandler = handler });
        var client = new V1.Sandbox.SandboxClient(channel);
        var headers = apiKey is null ? null : new Metadata { { "authorization", "Bearer " + apiKey } };
        return await client.GetUsageAsync(new V1.GetUsageRequest(), headers, DateTime.UtcNow.AddSeconds(10));
    }

    /// <summary>A TLS client certificate signed by <paramref name="ca"/>, with its private key in a form SslStream can use on Linux.</summary>
    private static X509Certificate2 ClientCertificate(X509Certificate2 ca, string subject, byte[] serial)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var signed = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}

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
/// the client and CLI trusting the CA file.
/// </summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("sandbox-tls-").FullName;
    private SandboxServer? server;

    private string CaPath => Path.Combine(directory, "ca.pem");

    private string Address => server!.Address.GetLeftPart(UriPartial.Authority);

    public async Task InitializeAsync()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Sandbox test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

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
    }

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
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
}

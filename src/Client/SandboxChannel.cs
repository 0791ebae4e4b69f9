using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace Sandbox.Client;

/// <summary>
/// The <see cref="GrpcChannel"/> a <see cref="SandboxClient"/> makes from an address:
/// <c>http://</c> is h2c (HTTP/2 with prior knowledge), <c>https://</c> HTTP/2 over TLS, with
/// <see cref="SandboxClientOptions.CaCertificatePath"/> added to the trusted roots.
/// </summary>
public static class SandboxChannel
{
    /// <summary>Creates the channel; dispose it when done.</summary>
    /// <exception cref="ArgumentException">The address is neither <c>http://</c> nor <c>https://</c>.</exception>
    public static GrpcChannel Create(string address, SandboxClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(options);
        var uri = new Uri(address, UriKind.Absolute);
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"'{address}' must start with http:// (h2c) or https:// (TLS).", nameof(address));
        }
        var channelOptions = options.ChannelOptions ?? new GrpcChannelOptions();
        if (channelOptions.HttpHandler is null && channelOptions.HttpClient is null)
        {
            channelOptions.HttpHandler = Handler(options.CaCertificatePath);
            channelOptions.DisposeHttpClient = true;
        }
        return GrpcChannel.ForAddress(uri, channelOptions);
    }

    /// <summary>The HTTP handler for a channel: one pooled connection set, TLS trusting the CA file when given.</summary>
    public static SocketsHttpHandler Handler(string? caCertificatePath)
    {
        var handler = new SocketsHttpHandler
        {
            // Calls multiplex over HTTP/2; a second connection opens only when streams run out.
            EnableMultipleHttp2Connections = true,
        };
        if (caCertificatePath is not null)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caCertificatePath);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors, authorities),
            };
        }
        return handler;
    }

    // The system's verdict when it is happy; otherwise a chain built on the CA file alone, with
    // the host name still checked (a name mismatch is never forgiven).
    private static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate as X509Certificate2 ?? new X509Certificate2(certificate));
    }
}

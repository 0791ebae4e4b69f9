using System.Security.Cryptography.X509Certificates;

namespace Sandbox.Server.Internal;

/// <summary>
/// The certificate of <c>https://</c> listen addresses, from Kestrel's standard settings:
/// <c>Kestrel:Certificates:Default:Path</c> with <c>KeyPath</c> for PEM files, or a PFX
/// (<c>.pfx</c>/<c>.p12</c>) with <c>Password</c>. Loaded when the endpoint is bound, so a missing
/// or unreadable file fails start-up naming the setting.
/// </summary>
internal static class TlsCertificate
{
    public const string SectionName = "Kestrel:Certificates:Default";

    public static X509Certificate2 Load(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var path = section["Path"];
        if (string.IsNullOrEmpty(path))
        {
            throw new InvalidOperationException($"An https:// address in Sandbox:Listen needs a certificate: set {SectionName}:Path (a PEM file, with {SectionName}:KeyPath) or a PFX file with {SectionName}:Password.");
        }
        try
        {
            var keyPath = section["KeyPath"];
            if (!string.IsNullOrEmpty(keyPath))
            {
                using var pem = X509Certificate2.CreateFromPemFile(path, keyPath);
                // SslStream on Linux wants the key in a form it can export to OpenSSL: round-trip through PKCS#12.
                return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }
            return X509CertificateLoader.LoadPkcs12FromFile(path, section["Password"]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"{SectionName}: cannot load the certificate '{path}': {e.Message}", e);
        }
    }
}

namespace Sandbox.Server.Tenancy;

/// <summary>
/// One tenant as configured under <c>Sandbox:Tenants:N</c>: its id, the SHA-256 of each of its API
/// keys and of each TLS client certificate it may present, and the limits it sets (the same keys as <see cref="TenantLimits"/>, at the same level).
/// </summary>
/// <example>
/// <code>
/// Sandbox__Tenants__0__Id=acme
/// Sandbox__Tenants__0__ApiKeySha256__0=0c28d692…   # printf %s "$key" | sha256sum
/// Sandbox__Tenants__0__ClientCertificateSha256__0=5f3c…   # openssl x509 -in client.pem -outform der | sha256sum
/// Sandbox__Tenants__0__MemoryBytes=536870912
/// </code>
/// </example>
public sealed class TenantOptions
{
    /// <summary>The tenant's id, as logs, metrics and GetUsage show it.</summary>
    public string Id { get; set; } = "";

    /// <summary>
    /// The SHA-256 of each API key, as hex. Keys themselves are never stored; several let a key be
    /// rotated without downtime.
    /// </summary>
    public List<string> ApiKeySha256 { get; set; } = [];

    /// <summary>
    /// The SHA-256 of each TLS client certificate (its DER encoding) that identifies the tenant
    /// on an <c>https://</c> address, as hex, beside or instead of API keys. The certificate is
    /// pinned: whoever signed it, a connection proving its private key is the tenant's.
    /// </summary>
    public List<string> ClientCertificateSha256 { get; set; } = [];
}

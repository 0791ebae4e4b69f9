using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Sandbox.Server.Internal;

namespace Sandbox.Server.Tenancy;

/// <summary>
/// The configured tenants, and the one question the interceptor asks: whose key is this?
/// With no tenants configured, a single <c>dev</c> tenant serves loopback callers without a key.
/// </summary>
public sealed class TenantRegistry
{
    /// <summary>The tenant served when none is configured.</summary>
    public const string DevTenantId = "dev";

    private readonly (byte[] Hash, Tenant Tenant)[] keys;
    private readonly (byte[] Hash, Tenant Tenant)[] certificates;

    /// <summary>Builds the registry from <c>Sandbox:Tenants</c> and <c>Sandbox:TenantDefaults</c>.</summary>
    /// <exception cref="InvalidOperationException">A tenant has no id, a duplicate id, or a key hash that is not 64 hex digits.</exception>
    public TenantRegistry(IConfiguration configuration, ILogger<TenantRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SandboxServerOptions.SectionName);
        var defaults = new TenantLimits();
        section.GetSection("TenantDefaults").Bind(defaults);

        var tenants = new List<Tenant>();
        var keyList = new List<(byte[], Tenant)>();
        var certificateList = new List<(byte[], Tenant)>();
        foreach (var entry in section.GetSection("Tenants").GetChildren())
        {
            var options = entry.Get<TenantOptions>() ?? new TenantOptions();
            if (string.IsNullOrWhiteSpace(options.Id)) throw new InvalidOperationException($"Sandbox:Tenants:{entry.Key} has no Id.");
            if (tenants.Any(t => t.Id == options.Id)) throw new InvalidOperationException($"Sandbox:Tenants:{entry.Key}: the tenant id '{options.Id}' is used twice.");
            var limits = defaults.Clone();
            entry.Bind(limits);
            var tenant = new Tenant(options.Id, limits);
            tenants.Add(tenant);
            foreach (var hex in options.ApiKeySha256)
            {
                keyList.Add((ParseHash(hex, entry.Key, nameof(TenantOptions.ApiKeySha256), "printf %s \"$key\" | sha256sum"), tenant));
            }
            foreach (var hex in options.ClientCertificateSha256)
            {
                certificateList.Add((ParseHash(hex, entry.Key, nameof(TenantOptions.ClientCertificateSha256), "openssl x509 -in client.pem -outform der | sha256sum"), tenant));
            }
        }

        if (tenants.Count == 0)
        {
            DevTenant = new Tenant(DevTenantId, defaults);
            tenants.Add(DevTenant);
            ServerLog.DevTenant(logger);
        }
        else
        {
            ServerLog.TenantsConfigured(logger, tenants.Count);
        }
        Tenants = tenants;
        keys = [.. keyList];
        certificates = [.. certificateList];
    }

    /// <summary>Every tenant, the dev tenant included when it is the one served.</summary>
    public IReadOnlyList<Tenant> Tenants { get; }

    /// <summary>The dev tenant, when no tenant is configured; null otherwise.</summary>
    public Tenant? DevTenant { get; }

    /// <summary>
    /// The tenant that owns <paramref name="apiKey"/>, or null. Compares SHA-256 hashes in constant
    /// time and looks at every key, so the time taken says nothing about which one almost matched.
    /// </summary>
    public Tenant? FindByKey(ReadOnlySpan<char> apiKey)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var byteCount = Encoding.UTF8.GetByteCount(apiKey);
        var bytes = byteCount <= 256 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(apiKey, bytes);
        SHA256.HashData(bytes, hash);
        Tenant? found = null;
        foreach (var (candidate, tenant) in keys)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, hash)) found = tenant;
        }
        return found;
    }

    /// <summary>True when some tenant is identified by a TLS client certificate (<see cref="TenantOptions.ClientCertificateSha256"/>).</summary>
    public bool HasClientCertificates => certificates.Length > 0;

    /// <summary>True when <paramref name="configuration"/> pins a client certificate to some tenant: before the registry exists, for Kestrel's endpoints.</summary>
    internal static bool ConfiguresClientCertificates(IConfiguration configuration) =>
        configuration.GetSection(SandboxServerOptions.SectionName + ":Tenants").GetChildren()
            .Any(tenant => tenant.GetSection(nameof(TenantOptions.ClientCertificateSha256)).GetChildren().Any());

    /// <summary>The tenant that pins <paramref name="certificate"/> (by the SHA-256 of its DER encoding), or null.</summary>
    public Tenant? FindByCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(certificate.RawDataMemory.Span, hash);
        foreach (var (candidate, tenant) in certificates)
        {
            if (hash.SequenceEqual(candidate)) return tenant;
        }
        return null;
    }

    /// <summary>True when the dev tenant may serve a caller at <paramref name="remote"/>: loopback only.</summary>
    public static bool IsLoopback(IPAddress? remote) => remote is not null && IPAddress.IsLoopback(remote);

    private static byte[] ParseHash(string hex, string entry, string setting, string howTo)
    {
        try
        {
            var hash = Convert.FromHexString(hex.Trim());
            if (hash.Length == SHA256.HashSizeInBytes) return hash;
        }
        catch (FormatException)
        {
            // Reported below with the entry's name.
        }
        throw new InvalidOperationException($"Sandbox:Tenants:{entry}:{setting} must hold SHA-256 hashes as 64 hex digits ({howTo}).");
    }
}

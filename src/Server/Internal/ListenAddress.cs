using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Sandbox.Server.Internal;

/// <summary>One parsed <see cref="SandboxServerOptions.Listen"/> entry.</summary>
/// <param name="Host">What to bind: <see cref="ListenHost.Loopback"/>, <see cref="ListenHost.Any"/> or an address.</param>
/// <param name="Address">The IP address when <paramref name="Host"/> is <see cref="ListenHost.Address"/>.</param>
/// <param name="Port">The TCP port; 0 asks the OS for a free one.</param>
/// <param name="Tls">True for <c>https://</c>: HTTP/2 over TLS (ALPN h2), with Kestrel's default certificate.</param>
internal readonly record struct ListenAddress(ListenHost Host, IPAddress? Address, int Port, bool Tls = false)
{
    /// <summary>
    /// Parses <c>http://host:port</c> (h2c: HTTP/2 with prior knowledge) or <c>https://host:port</c>
    /// (HTTP/2 over TLS, the certificate from <c>Kestrel:Certificates:Default</c>).
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(false)] out string? error, out ListenAddress address)
    {
        address = default;
        text = text.Trim();
        const string Http = "http://", Https = "https://";
        var tls = text.StartsWith(Https, StringComparison.OrdinalIgnoreCase);
        if (!tls && !text.StartsWith(Http, StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{text}' must start with {Http} (HTTP/2 cleartext) or {Https} (TLS).";
            return false;
        }
        var authority = text[(tls ? Https : Http).Length..].TrimEnd('/');
        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || authority.EndsWith(']'))
        {
            error = $"'{text}' has no port; write it as http://host:port.";
            return false;
        }
        var host = authority[..colon];
        if (!int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            error = $"'{text}' has an invalid port.";
            return false;
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = new ListenAddress(ListenHost.Loopback, null, port, tls);
        }
        else if (host is "*" or "+" or "0.0.0.0" or "[::]")
        {
            address = new ListenAddress(ListenHost.Any, null, port, tls);
        }
        else if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            address = new ListenAddress(ListenHost.Address, ip, port, tls);
        }
        else
        {
            error = $"'{host}' in '{text}' is neither localhost, *, nor an IP address.";
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>Parses a <c>;</c>-separated list, failing on the first bad entry.</summary>
    public static IReadOnlyList<ListenAddress> ParseList(string text)
    {
        var result = new List<ListenAddress>();
        foreach (var entry in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryParse(entry, out var error, out var address))
            {
                throw new InvalidOperationException($"Invalid {SandboxServerOptions.SectionName}:{nameof(SandboxServerOptions.Listen)}: {error}");
            }
            result.Add(address);
        }
        if (result.Count == 0)
        {
            throw new InvalidOperationException($"{SandboxServerOptions.SectionName}:{nameof(SandboxServerOptions.Listen)} is empty.");
        }
        return result;
    }
}

/// <summary>What a <see cref="ListenAddress"/> binds.</summary>
internal enum ListenHost
{
    /// <summary>127.0.0.1 and ::1 (only 127.0.0.1 for port 0, so that both cannot get different ports).</summary>
    Loopback,

    /// <summary>Every interface.</summary>
    Any,

    /// <summary>One IP address.</summary>
    Address,
}

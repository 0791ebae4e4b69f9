namespace Sandbox.Engine;

/// <summary>
/// Instantiation, or creating a memory or table, was refused by an <see cref="IResourceLimiter"/>.
/// <see cref="Limit"/> is the limiter's description of the limit that refused.
/// </summary>
public sealed class ResourceLimitException(string message, string limit) : WasmException(message)
{
    /// <summary>The limit that refused, as the limiter described it (e.g. "tenant memory budget of 64 MiB").</summary>
    public string Limit { get; } = limit;
}

using System.Collections.Frozen;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;

namespace Sandbox.Grpc.Internal.Server;

/// <summary>
/// Every mapped method, by path, and the proto files of the mapped services (for reflection).
/// Filled while the app maps its services; each map call refreezes the lookup table, so calls
/// are routed by a single ordinal frozen-dictionary lookup (gRPC paths are case-sensitive).
/// </summary>
internal sealed class ServerMethodRegistry
{
    private readonly Dictionary<string, ServerMethodHandler> methods = new(StringComparer.Ordinal);
    private readonly List<FileDescriptor> files = [];

    public FrozenDictionary<string, ServerMethodHandler> Methods { get; private set; } = FrozenDictionary<string, ServerMethodHandler>.Empty;

    /// <summary>The names of the services with at least one mapped method.</summary>
    public FrozenSet<string> ServiceNames { get; private set; } = FrozenSet<string>.Empty;

    /// <summary>The files passed to <see cref="ServiceBinder.AddFileDescriptor"/>, in order.</summary>
    public IReadOnlyList<FileDescriptor> Files => files;

    /// <summary>The one endpoint every gRPC path goes through, once mapped.</summary>
    public IEndpointConventionBuilder? Endpoint { get; set; }

    public void Add(ServerMethodHandler handler)
    {
        if (!methods.TryAdd(handler.Method, handler))
        {
            throw new InvalidOperationException($"gRPC method '{handler.Method}' is mapped twice.");
        }
    }

    public void AddFile(FileDescriptor file)
    {
        if (!files.Contains(file))
        {
            files.Add(file);
        }
    }

    /// <summary>Publishes the methods added so far to request threads.</summary>
    public void Freeze()
    {
        Methods = methods.ToFrozenDictionary(StringComparer.Ordinal);
        var services = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handler in methods.Values)
        {
            services.Add(handler.ServiceName);
        }
        ServiceNames = services.ToFrozenSet(StringComparer.Ordinal);
    }
}

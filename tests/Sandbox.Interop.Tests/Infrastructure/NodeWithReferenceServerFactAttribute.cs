using Sandbox.Interop.Tests.Clients;

namespace Sandbox.Interop.Tests.Infrastructure;

/// <summary>A fact that runs the Node client against grpcio's reference server, so it needs both.</summary>
public sealed class NodeWithReferenceServerFactAttribute()
    : ExternalToolFactAttribute(PythonInteropClient.Instance.MissingReason ?? NodeInteropClient.Instance.MissingReason);

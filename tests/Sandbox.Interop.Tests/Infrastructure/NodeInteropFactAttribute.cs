using Sandbox.Interop.Tests.Clients;

namespace Sandbox.Interop.Tests.Infrastructure;

/// <summary>A fact that runs the Node @grpc/grpc-js interop client.</summary>
public sealed class NodeInteropFactAttribute() : ExternalToolFactAttribute(NodeInteropClient.Instance.MissingReason);

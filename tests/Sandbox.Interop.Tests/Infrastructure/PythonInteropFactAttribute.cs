using Sandbox.Interop.Tests.Clients;

namespace Sandbox.Interop.Tests.Infrastructure;

/// <summary>A fact that runs the Python grpcio interop client.</summary>
public sealed class PythonInteropFactAttribute() : ExternalToolFactAttribute(PythonInteropClient.Instance.MissingReason);

using Sandbox.Interop.Tests.Clients;

namespace Sandbox.Interop.Tests.Infrastructure;

/// <summary>A fact that runs the Python health and reflection client (needs grpc-proto too).</summary>
public sealed class PythonStandardServicesFactAttribute() : ExternalToolFactAttribute(PythonInteropClient.StandardServices.MissingReason);

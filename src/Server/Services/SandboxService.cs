using Sandbox.V1;

namespace Sandbox.Server.Services;

/// <summary>
/// The <c>sandbox.v1.Sandbox</c> service. Every RPC still answers UNIMPLEMENTED through
/// <see cref="SandboxGrpc.SandboxBase"/>; the engine-backed implementations (tenants, the
/// instance pool, metrics) come with issue 5, as thin adapters overriding the base's methods.
/// </summary>
public sealed class SandboxService : SandboxGrpc.SandboxBase
{
}

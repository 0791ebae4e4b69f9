namespace Sandbox.Server.Execution;

/// <summary>A reference to a hosted instance held for one RPC; disposing it gives the reference back.</summary>
internal readonly struct InstanceLease(HostedInstance instance) : IDisposable
{
    public HostedInstance Instance { get; } = instance;

    public void Dispose() => Instance.Release();
}

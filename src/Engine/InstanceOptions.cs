namespace Sandbox.Engine;

/// <summary>
/// Per-instantiation settings: the resource limiter, how <see cref="Instance.Allocator"/> is found,
/// and the limits the start function runs under.
/// </summary>
public sealed record InstanceOptions
{
    /// <summary>No limiter, allocator detected from the exports, no host heap.</summary>
    public static InstanceOptions Default { get; } = new();

    /// <summary>
    /// Consulted for every memory and table the instance defines (at instantiation and on growth),
    /// and told when the instance is disposed. Share one limiter across a tenant's instances to give
    /// them one budget.
    /// </summary>
    public IResourceLimiter? Limiter { get; init; }

    /// <summary>
    /// The guest allocator to use for <see cref="Instance.Allocator"/>. Null (the default) detects
    /// one from the exports: <see cref="AllocatorExports.Libc"/>, then
    /// <see cref="AllocatorExports.AssemblyScript"/>, then <see cref="AllocatorExports.CanonicalAbi"/>.
    /// </summary>
    public AllocatorExports? Allocator { get; init; }

    /// <summary>
    /// When the guest exports no allocator: bytes of host heap to add at the end of memory 0 at
    /// instantiation (rounded up to whole pages), managed by the host like WAMR's app heap.
    /// 0 (the default) adds none, and the instance then has no allocator.
    /// </summary>
    public ulong HostHeapBytes { get; init; }

    /// <summary>
    /// The timeout, cancellation and fuel the start function (Spec 4.5.4 step 16) runs under, as a
    /// call would: a start function that never returns then traps <see cref="TrapCode.Interrupted"/>
    /// instead of holding the instantiating thread. Null (the default) runs it unlimited.
    /// </summary>
    public CallOptions? StartOptions { get; init; }

    /// <summary>
    /// Called once the instance's exports exist, before the start function runs (WASI binds the
    /// calling instance's memory here, so a start function may already use it).
    /// </summary>
    internal Action<Instance>? BeforeStart { get; init; }
}

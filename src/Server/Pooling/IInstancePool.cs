using Sandbox.Engine;
using Sandbox.Server.Execution;
using Sandbox.Server.Tenancy;

namespace Sandbox.Server.Pooling;

/// <summary>
/// Ready instances for Execute, so that a call pays no instantiation. An instance handed out is
/// never handed out again in the state the call left it: whatever the call wrote, the next renter
/// sees the module's state right after instantiation.
/// </summary>
internal interface IInstancePool : IDisposable
{
    /// <summary>
    /// A ready instance of <paramref name="module"/>; <c>Hit</c> is false when one had to be made
    /// now, its start function running under <paramref name="startOptions"/> (the call's limits).
    /// </summary>
    /// <exception cref="ResourceLimitException">A fresh instance would exceed the tenant's memory budget.</exception>
    /// <exception cref="TrapException">The module's start function trapped, or was interrupted by <paramref name="startOptions"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while the instance waited for a thread.</exception>
    ValueTask<(Instance Instance, bool Hit)> RentAsync(Tenant tenant, CompiledModule module, CallOptions startOptions, CancellationToken cancellationToken);

    /// <summary>Gives an instance back after its call, whatever the call did to it.</summary>
    void Return(Tenant tenant, CompiledModule module, Instance instance);

    /// <summary>Disposes the idle instances of a module the cache let go of, and keeps none of it from now on.</summary>
    void Forget(Tenant tenant, CompiledModule module);

    /// <summary>The tenant's idle instances.</summary>
    int IdleCount(Tenant tenant);
}

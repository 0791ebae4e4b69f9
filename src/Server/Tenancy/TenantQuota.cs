using Sandbox.Grpc;
using Sandbox.Server.Execution;

namespace Sandbox.Server.Tenancy;

/// <summary>
/// Every quota rule of the service, in one place: RPCs ask here before they use something and
/// get RESOURCE_EXHAUSTED naming the limit when the tenant has no room left.
/// </summary>
public sealed class TenantQuota
{
    private readonly Tenant tenant;

    internal TenantQuota(Tenant tenant) => this.tenant = tenant;

    /// <summary>Where the tenant's memory usage comes from (live instances and the pool).</summary>
    internal IMemoryUsageSource? UsageSource { get; set; }

    /// <summary>Counts one more call in flight, or refuses it. Dispose the result when the call ends.</summary>
    public CallSlot EnterCall()
    {
        if (tenant.EnterCall() > tenant.Limits.ConcurrentCalls)
        {
            tenant.ExitCall();
            throw Exhausted($"the tenant has {tenant.Limits.ConcurrentCalls} calls in flight, its concurrent calls limit");
        }
        return new CallSlot(tenant);
    }

    /// <summary>Refuses a module binary over the tenant's module size limit, before anything reads it.</summary>
    public void CheckModuleSize(long bytes)
    {
        if ((ulong)bytes > tenant.Limits.ModuleBytes)
        {
            throw Exhausted($"the module is {bytes} bytes, over the tenant's module size limit of {tenant.Limits.ModuleBytes} bytes");
        }
    }

    /// <summary>Refuses a new cached module when the cache is full. Call under <see cref="Tenant.SyncRoot"/>.</summary>
    internal void CheckModuleCount()
    {
        if (tenant.Modules.Count >= tenant.Limits.ModulesCached)
        {
            throw Exhausted($"the tenant caches {tenant.Modules.Count} modules, its modules cached limit");
        }
    }

    /// <summary>
    /// Reserves the room for a new instance (one more instance when <paramref name="countsAsInstance"/>,
    /// and <paramref name="bytes"/> of the memory budget) or refuses it. Dispose the reservation once
    /// the instance is live (its memories are then counted) or has failed.
    /// </summary>
    public MemoryReservation ReserveInstance(ulong bytes, bool countsAsInstance)
    {
        lock (tenant.SyncRoot)
        {
            if (countsAsInstance && tenant.Instances.Count >= tenant.Limits.Instances)
            {
                throw Exhausted($"the tenant has {tenant.Instances.Count} live instances, its instance limit");
            }
            if (!TryReserveBytes(bytes, out var used))
            {
                throw Exhausted($"{bytes} more bytes would take the tenant's memory to {used + bytes}, over its memory budget of {tenant.Limits.MemoryBytes} bytes");
            }
            return new MemoryReservation(tenant, bytes);
        }
    }

    /// <summary>Reserves budget without throwing (for the pool, which simply keeps fewer instances).</summary>
    internal bool TryReserve(ulong bytes, out MemoryReservation reservation)
    {
        lock (tenant.SyncRoot)
        {
            reservation = TryReserveBytes(bytes, out _) ? new MemoryReservation(tenant, bytes) : default;
            return reservation.IsHeld;
        }
    }

    /// <summary>Refuses a growth of <paramref name="bytes"/> that the memory budget cannot hold.</summary>
    public void CheckGrowth(ulong bytes)
    {
        var used = MemoryBytesUsed();
        if (bytes > tenant.Limits.MemoryBytes || used > tenant.Limits.MemoryBytes - bytes)
        {
            throw Exhausted($"growing by {bytes} bytes would take the tenant's memory to {used + bytes}, over its memory budget of {tenant.Limits.MemoryBytes} bytes");
        }
    }

    /// <summary>Bytes of the tenant's live memories and tables now, pooled instances included.</summary>
    public ulong MemoryBytesUsed() => UsageSource?.MemoryBytes(tenant) ?? 0;

    private bool TryReserveBytes(ulong bytes, out ulong used)
    {
        used = MemoryBytesUsed() + tenant.PendingBytes;
        var limit = tenant.Limits.MemoryBytes;
        if (bytes > limit || used > limit - bytes) return false;
        tenant.PendingBytes += bytes;
        return true;
    }

    private static RpcException Exhausted(string detail) => new(new Status(StatusCode.ResourceExhausted, detail));

    /// <summary>A call counted against the concurrent calls limit until disposed.</summary>
    public readonly struct CallSlot(Tenant tenant) : IDisposable
    {
        /// <summary>Ends the call.</summary>
        public void Dispose() => tenant?.ExitCall();
    }

    /// <summary>Budget bytes held for an instantiation in progress until disposed.</summary>
    public readonly struct MemoryReservation(Tenant tenant, ulong bytes) : IDisposable
    {
        internal bool IsHeld => tenant is not null;

        /// <summary>Releases the reservation (the instance's memories now count for themselves, or it failed).</summary>
        public void Dispose()
        {
            if (tenant is null) return;
            lock (tenant.SyncRoot) tenant.PendingBytes -= bytes;
        }
    }
}

using Grpc.Core;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Sandbox.Engine;

namespace Sandbox.Server.Tenancy;

/// <summary>
/// Every quota rule of the service, in one place: RPCs ask here before they use something and
/// get RESOURCE_EXHAUSTED naming the limit when the tenant has no room left.
/// </summary>
public sealed class TenantQuota
{
    private readonly Tenant tenant;

    internal TenantQuota(Tenant tenant) => this.tenant = tenant;

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

    /// <summary>True when the cache holds as many modules as it may. Call under <see cref="Tenant.SyncRoot"/>.</summary>
    internal bool CacheFull => tenant.Modules.Count >= tenant.Limits.ModulesCached;

    /// <summary>True when <paramref name="bytes"/> more compiled code fit the code budget. Call under <see cref="Tenant.SyncRoot"/>.</summary>
    internal bool CodeFits(ulong bytes) => bytes <= tenant.Limits.CodeBytes - Math.Min(tenant.Limits.CodeBytes, tenant.CodeBytesUsed);

    /// <summary>Charges a compiled module's code, or refuses it naming the limit. Call under <see cref="Tenant.SyncRoot"/>, after evicting what can go.</summary>
    internal void ChargeCode(ulong bytes)
    {
        if (!CodeFits(bytes))
        {
            throw Exhausted($"the module's compiled code takes {bytes} bytes and the tenant's modules already hold {tenant.CodeBytesUsed} of its code budget of {tenant.Limits.CodeBytes} bytes (CodeBytes); drop instances or modules (DropModule) to make room");
        }
        tenant.AddCodeBytes((long)bytes);
    }

    /// <summary>Returns a module's code bytes to the budget once nothing uses the module.</summary>
    internal void ReleaseCode(ulong bytes) => tenant.AddCodeBytes(-(long)bytes);

    /// <summary>
    /// Reserves one more instance or refuses it. Dispose the reservation once the instance is live
    /// (it is then counted in <see cref="Tenant.Instances"/>) or has failed. Memory is not reserved
    /// here: the engine asks the tenant's <see cref="Tenant.Budget"/> as it allocates.
    /// </summary>
    public InstanceReservation ReserveInstance()
    {
        lock (tenant.SyncRoot)
        {
            var count = tenant.Instances.Count + tenant.PendingInstances;
            if (count >= tenant.Limits.Instances)
            {
                throw Exhausted($"the tenant has {count} live instances, its instance limit");
            }
            tenant.PendingInstances++;
            return new InstanceReservation(tenant);
        }
    }

    /// <summary>Refuses a growth of <paramref name="bytes"/> that the memory budget cannot hold (the host's GrowMemory).</summary>
    public void CheckGrowth(ulong bytes)
    {
        if (bytes > tenant.Budget.AvailableBytes)
        {
            throw Exhausted($"growing by {bytes} bytes would take the tenant's memory over its memory budget of {tenant.Limits.MemoryBytes} bytes ({tenant.Budget.UsedBytes} in use)");
        }
    }

    /// <summary>A WASI request's file does not fit the memory budget its in-memory filesystem is charged to.</summary>
    public RpcException FilesRefused(string path, long bytes) =>
        Exhausted($"the WASI file '{path}' ({bytes} bytes) does not fit the tenant's memory budget of {tenant.Limits.MemoryBytes} bytes ({tenant.Budget.UsedBytes} in use); the in-memory filesystem is charged to it");

    /// <summary>The engine refused an allocation: RESOURCE_EXHAUSTED naming the limit.</summary>
    public RpcException Refused(ResourceLimitException e) => Exhausted(e.Message);

    /// <summary>Bytes of the tenant's live memories and tables now, pooled instances included.</summary>
    public ulong MemoryBytesUsed() => tenant.Budget.UsedBytes;

    /// <summary>
    /// RESOURCE_EXHAUSTED with the reason as its message and a <c>google.rpc.QuotaFailure</c>
    /// detail (subject <c>tenant:ID</c>) in <c>grpc-status-details-bin</c>, as sandbox.proto's
    /// "Errors" section documents.
    /// </summary>
    private RpcException Exhausted(string detail)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)StatusCode.ResourceExhausted,
            Message = detail,
            Details = { Any.Pack(new QuotaFailure { Violations = { new QuotaFailure.Types.Violation { Subject = "tenant:" + tenant.Id, Description = detail } } }) },
        };
        return status.ToRpcException();
    }

    /// <summary>A call counted against the concurrent calls limit until disposed.</summary>
    public readonly struct CallSlot(Tenant tenant) : IDisposable
    {
        /// <summary>Ends the call.</summary>
        public void Dispose() => tenant?.ExitCall();
    }

    /// <summary>An instance slot held for an instantiation in progress until disposed.</summary>
    public readonly struct InstanceReservation(Tenant tenant) : IDisposable
    {
        /// <summary>Releases the slot (the instance now counts itself, or it failed).</summary>
        public void Dispose()
        {
            if (tenant is null) return;
            lock (tenant.SyncRoot) tenant.PendingInstances--;
        }
    }
}

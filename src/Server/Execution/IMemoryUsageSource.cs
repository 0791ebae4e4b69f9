using Sandbox.Server.Tenancy;

namespace Sandbox.Server.Execution;

/// <summary>Counts a tenant's memory: the seam between the quota rules and whatever holds instances.</summary>
internal interface IMemoryUsageSource
{
    /// <summary>Bytes of the tenant's live memories and tables (a shared memory once), pooled instances included.</summary>
    ulong MemoryBytes(Tenant tenant);
}

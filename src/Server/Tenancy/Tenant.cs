using System.Collections.Concurrent;
using Sandbox.Engine;
using Sandbox.Server.Execution;

namespace Sandbox.Server.Tenancy;

/// <summary>
/// A tenant at run time: its limits and everything it owns (compiled modules, live instances and
/// their registration names). Nothing here is reachable from another tenant, which is what makes
/// another tenant's ids indistinguishable from absent ones.
/// </summary>
public sealed class Tenant
{
    private int callsInFlight;
    private long codeBytes;

    internal Tenant(string id, TenantLimits limits)
    {
        Id = id;
        Limits = limits;
        // One engine limiter for all the tenant's memories and tables, pooled instances included:
        // consulted at instantiation and before every growth, a shared memory charged once to its owner.
        Budget = new ByteBudgetLimiter(limits.MemoryBytes, $"tenant {id} memory budget of {limits.MemoryBytes} bytes");
        Quota = new TenantQuota(this);
        CompileSlots = new SemaphoreSlim(Math.Max(1, limits.ConcurrentCompiles));
    }

    /// <summary>The tenant's id.</summary>
    public string Id { get; }

    /// <summary>What the tenant may use.</summary>
    public TenantLimits Limits { get; }

    /// <summary>The tenant's memory budget, as the engine's resource limiter.</summary>
    public ByteBudgetLimiter Budget { get; }

    /// <summary>The quota rules, applied to this tenant.</summary>
    public TenantQuota Quota { get; }

    /// <summary>Compiled modules by id (SHA-256 hex).</summary>
    internal ConcurrentDictionary<string, CompiledModule> Modules { get; } = new(StringComparer.Ordinal);

    /// <summary>The tenant's compilations that may run at once (<see cref="TenantLimits.ConcurrentCompiles"/>).</summary>
    internal SemaphoreSlim CompileSlots { get; }

    /// <summary>Bytes of compiled code charged now (<see cref="TenantLimits.CodeBytes"/>); changed under <see cref="SyncRoot"/>, read anywhere.</summary>
    public ulong CodeBytesUsed => (ulong)Volatile.Read(ref codeBytes);

    internal void AddCodeBytes(long delta) => Interlocked.Add(ref codeBytes, delta);

    /// <summary>Live instances by id.</summary>
    internal ConcurrentDictionary<string, HostedInstance> Instances { get; } = new(StringComparer.Ordinal);

    /// <summary>Registration names, guarded by <see cref="SyncRoot"/> together with <see cref="Instances"/> changes.</summary>
    internal Dictionary<string, HostedInstance> RegisteredNames { get; } = new(StringComparer.Ordinal);

    /// <summary>Serialises the check-then-act steps of the quota (a count checked and then raised).</summary>
    internal object SyncRoot { get; } = new();

    /// <summary>Instantiations in progress, not yet in <see cref="Instances"/>.</summary>
    internal int PendingInstances { get; set; }

    /// <summary>The tenant's authentication result, made once (<see cref="ApiKeyAuthenticationHandler.Success"/>).</summary>
    internal Task<Microsoft.AspNetCore.Authentication.AuthenticateResult>? AuthenticateResult { get; set; }

    /// <summary>RPCs of the tenant in flight now.</summary>
    public int CallsInFlight => Volatile.Read(ref callsInFlight);

    internal int EnterCall() => Interlocked.Increment(ref callsInFlight);

    internal void ExitCall() => Interlocked.Decrement(ref callsInFlight);
}

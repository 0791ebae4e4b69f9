namespace Sandbox.Server.Tenancy;

/// <summary>
/// What one tenant may use. Bound from <c>Sandbox:TenantDefaults</c> and then from the tenant's own
/// entry under <c>Sandbox:Tenants:N</c>, so a tenant states only what differs from the defaults.
/// </summary>
public sealed class TenantLimits
{
    /// <summary>Bytes of all live memories and tables of the tenant (a shared memory counted once), pooled instances included. Default 256 MiB.</summary>
    public ulong MemoryBytes { get; set; } = 256UL << 20;

    /// <summary>The most live instances made by Instantiate. Default 64.</summary>
    public int Instances { get; set; } = 64;

    /// <summary>The largest module binary accepted, in bytes. Default 16 MiB.</summary>
    public ulong ModuleBytes { get; set; } = 16UL << 20;

    /// <summary>The most modules cached at once; a new one evicts the least recently used one that no instance uses. Default 64.</summary>
    public int ModulesCached { get; set; } = 64;

    /// <summary>
    /// Bytes of compiled code the tenant's modules may hold: cached ones, and uncached ones still
    /// used by an instance or a call. A compile that does not fit evicts the least recently used
    /// cached modules no instance uses, then fails RESOURCE_EXHAUSTED. Default 256 MiB.
    /// </summary>
    public ulong CodeBytes { get; set; } = 256UL << 20;

    /// <summary>The most compilations of the tenant's modules running or queued at once; more wait. Default 2.</summary>
    public int ConcurrentCompiles { get; set; } = 2;

    /// <summary>The deadline of a call into guest code that sets none. Default 5 s.</summary>
    public TimeSpan DefaultCallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest deadline a call may ask for. Default 60 s.</summary>
    public TimeSpan MaxCallTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most RPCs of the tenant in flight at once (WatchMetrics streams excepted). Default 16.</summary>
    public int ConcurrentCalls { get; set; } = 16;

    /// <summary>
    /// The most bytes of a WASI guest's stdout, and as many of its stderr, one call captures
    /// (Execute, or one Invoke of a WASI instance); past it the rest is dropped and the result says
    /// it was truncated. Default 1 MiB.
    /// </summary>
    public ulong WasiOutputBytes { get; set; } = DefaultWasiOutputBytes;

    /// <summary>The default of <see cref="WasiOutputBytes"/>: 1 MiB per stream.</summary>
    public const ulong DefaultWasiOutputBytes = 1UL << 20;

    /// <summary>Fuel per call when metering is wanted; null for none.</summary>
    public ulong? FuelPerCall { get; set; }

    /// <summary>A copy, so a tenant's section can be bound over the defaults without changing them.</summary>
    public TenantLimits Clone() => (TenantLimits)MemberwiseClone();
}

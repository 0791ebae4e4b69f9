using Sandbox.Engine;
using Sandbox.Server.Internal;
using Sandbox.Server.Tenancy;
using Sandbox.V1;

namespace Sandbox.Server.Execution;

/// <summary>
/// A module validated and compiled for one tenant, under its SHA-256: in the tenant's cache, or
/// compiled for one request when the cache had no room (<see cref="Cached"/> false).
/// </summary>
/// <remarks>
/// Its compiled code is charged to the tenant's code budget (<see cref="TenantLimits.CodeBytes"/>)
/// from compilation until the last reference goes: the cache's, one per live instance, one per
/// Execute under way. Only then is the module unreachable and its code unloaded, so the charge
/// follows the memory it stands for.
/// </remarks>
internal sealed class CompiledModule
{
    private readonly Tenant tenant;
    private int references = 1; // the creator's: the cache's, or the one request's of an uncached module
    private long lastUsedTicks;

    public CompiledModule(Tenant tenant, string id, Engine.Module module, ulong sizeBytes, TimeSpan compileDuration, ulong codeBytes, bool cached)
    {
        this.tenant = tenant;
        Id = id;
        Module = module;
        SizeBytes = sizeBytes;
        CompileDuration = compileDuration;
        Cached = cached;
        Imports = [.. module.Imports.Select(i => Descriptors.ToImport(module.Definition, i))];
        Exports = [.. module.Exports.Select(e => Descriptors.ToExport(module.Definition, e))];
        EstimatedBytes = Footprint.DefinedBytes(module.Definition);
        CodeBytes = codeBytes;
        lastUsedTicks = Environment.TickCount64;
    }

    /// <summary>The SHA-256 of the binary, 64 lower-case hex digits.</summary>
    public string Id { get; }

    public Engine.Module Module { get; }

    public ulong SizeBytes { get; }

    public TimeSpan CompileDuration { get; }

    /// <summary>False for a module compiled for one request because the cache was full: it is neither stored nor pooled.</summary>
    public bool Cached { get; }

    public ImportDescriptor[] Imports { get; }

    public ExportDescriptor[] Exports { get; }

    /// <summary>What a fresh instance of the module allocates: its own memories and tables at their minimum.</summary>
    public ulong EstimatedBytes { get; }

    /// <summary>What its compiled code holds, as charged to the tenant's code budget.</summary>
    public ulong CodeBytes { get; }

    /// <summary>True once the cache has let go of it (evicted, dropped): the pool keeps no instances of it.</summary>
    public bool Evicted => Volatile.Read(ref evicted);

    private bool evicted;

    /// <summary>When the module was last compiled, looked up or instantiated (<see cref="Environment.TickCount64"/>), for least-recently-used eviction.</summary>
    public long LastUsedTicks => Volatile.Read(ref lastUsedTicks);

    /// <summary>Live instances of the module made by Instantiate: while there are any, the cache does not evict it.</summary>
    public int LiveInstances => Volatile.Read(ref liveInstances);

    private int liveInstances;

    /// <summary>An instance of the module went live (it holds a reference of its own, taken with <see cref="TryAddReference"/>).</summary>
    public void InstanceCreated() => Interlocked.Increment(ref liveInstances);

    /// <summary>An instance of the module was freed; it then gives its reference back.</summary>
    public void InstanceFreed()
    {
        Interlocked.Decrement(ref liveInstances);
        Release();
    }

    public void MarkUsed() => Volatile.Write(ref lastUsedTicks, Environment.TickCount64);

    /// <summary>Takes a reference for an instance or a call; false once the last one went (the code is no longer charged).</summary>
    public bool TryAddReference() => References.TryAdd(ref references);

    /// <summary>Gives up a reference; the last one returns the code's bytes to the tenant's code budget.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref references) == 0) tenant.Quota.ReleaseCode(CodeBytes);
    }

    /// <summary>The cache lets go of the module (call once, under the tenant's lock, after removing it from the cache).</summary>
    public void Evict()
    {
        Volatile.Write(ref evicted, true);
        Release();
    }
}

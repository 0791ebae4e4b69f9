using System.Diagnostics;
using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Sandbox.Engine;
using Sandbox.Engine.Validation;
using Grpc.Core;
using Sandbox.Server.Pooling;
using Sandbox.Server.Telemetry;
using Sandbox.Server.Tenancy;

namespace Sandbox.Server.Execution;

/// <summary>
/// Compiles modules and caches them per tenant under their SHA-256 (CompileModule, and inline
/// bytes elsewhere), evicting the least recently used ones that no instance uses when the cache
/// or the code budget is full.
/// </summary>
/// <remarks>
/// Issue 13: a cache that never evicted locked a tenant out after <c>ModulesCached</c> modules,
/// Execute with inline bytes included. Now a full cache makes room by eviction; where nothing can
/// go (every cached module has live instances), CompileModule fails RESOURCE_EXHAUSTED, while
/// Execute and Instantiate with inline bytes compile the module for their request alone. Compiled
/// code is charged to the tenant (<see cref="TenantLimits.CodeBytes"/>) while anything uses it.
/// </remarks>
internal sealed class ModuleCatalog(SandboxMetrics metrics, CompileScheduler compiler, IInstancePool pool, IOptions<SandboxServerOptions> serverOptions)
{
    private const int ModuleIdLength = 64; // SHA-256 as hex
    private readonly EngineOptions options = EngineOptionsFor(serverOptions.Value, fuel: false);
    private readonly EngineOptions meteredOptions = EngineOptionsFor(serverOptions.Value, fuel: true);

    // The threads proposal is on (issue 4: modules sharing a memory use atomics on it).
    private static EngineOptions EngineOptionsFor(SandboxServerOptions server, bool fuel) => EngineOptions.Default with
    {
        Features = WasmFeatures.Threads,
        ConsumeFuel = fuel,
        BackgroundCompilation = server.BackgroundCompilation,
    };

    /// <summary>
    /// The tenant's module for <paramref name="wasm"/>, compiled now unless cached, with a
    /// reference held for the caller (dispose the lease). With <paramref name="mustCache"/> a module
    /// the cache cannot hold is refused; without, it is compiled for this request alone.
    /// </summary>
    public async Task<ModuleLease> GetOrCompileAsync(Tenant tenant, ByteString wasm, bool mustCache, CancellationToken cancellationToken)
    {
        tenant.Quota.CheckModuleSize(wasm.Length);
        if (wasm.IsEmpty) throw new RpcException(new Status(StatusCode.InvalidArgument, "wasm is required"));
        var id = Convert.ToHexStringLower(SHA256.HashData(wasm.Span));
        if (TryLease(tenant, id) is { } hit) return hit;
        if (mustCache)
        {
            // Fail before compiling what could not be kept.
            lock (tenant.SyncRoot)
            {
                if (tenant.Quota.CacheFull && !TryEvictOne(tenant)) throw CacheFull(tenant);
            }
        }

        // A copy: the engine keeps the bytes (data segments) beyond this request's buffer. Fuel
        // metering costs a counter update per function entry and loop iteration, so only tenants
        // with a fuel limit get metered code.
        var bytes = wasm.ToByteArray();
        var engineOptions = tenant.Limits.FuelPerCall is null ? options : meteredOptions;
        var started = Stopwatch.GetTimestamp();
        await tenant.CompileSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        Engine.Module module;
        try
        {
            module = await compiler.RunAsync(() => Engine.Module.FromBytes(bytes, engineOptions), () => tenant.CompileSlots.Release(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DecodeException or ValidationException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.Compiled(tenant.Id, elapsed);
        return Store(tenant, id, module, (ulong)wasm.Length, elapsed, mustCache);
    }

    /// <summary>The tenant's cached module <paramref name="id"/> with a reference held, or NOT_FOUND (also for another tenant's module).</summary>
    public static ModuleLease Find(Tenant tenant, string id)
    {
        CheckId(id);
        return TryLease(tenant, id) ?? throw ModuleNotFound(id);
    }

    /// <summary>
    /// Removes module <paramref name="id"/> from the tenant's cache (DropModule). Instances of it
    /// keep running; its code is freed, and uncharged, when the last of them is dropped.
    /// </summary>
    /// <returns>The live instances still using the module.</returns>
    public int Drop(Tenant tenant, string id)
    {
        CheckId(id);
        CompiledModule? module;
        lock (tenant.SyncRoot)
        {
            if (!tenant.Modules.TryRemove(id, out module)) throw ModuleNotFound(id);
            module.Evict();
        }
        pool.Forget(tenant, module);
        return module.LiveInstances;
    }

    private static ModuleLease? TryLease(Tenant tenant, string id)
    {
        // A module evicted between the lookup and the reference is gone: as if never cached.
        if (!tenant.Modules.TryGetValue(id, out var cached) || !cached.TryAddReference()) return null;
        cached.MarkUsed();
        return new ModuleLease(cached, hit: true);
    }

    private ModuleLease Store(Tenant tenant, string id, Engine.Module module, ulong size, TimeSpan elapsed, bool mustCache)
    {
        var evicted = new List<CompiledModule>();
        try
        {
            lock (tenant.SyncRoot)
            {
                if (tenant.Modules.TryGetValue(id, out var existing) && existing.TryAddReference())
                {
                    // Compiled twice at once: the first one stored wins, and this call still reports a cache hit.
                    existing.MarkUsed();
                    return new ModuleLease(existing, hit: true);
                }
                var code = (ulong)module.CodeBytes; // the engine's estimate: metadata, IL and machine code
                var cache = true;
                while (tenant.Quota.CacheFull || !tenant.Quota.CodeFits(code))
                {
                    if (EvictOne(tenant) is { } gone)
                    {
                        evicted.Add(gone);
                        continue;
                    }
                    if (mustCache && tenant.Quota.CacheFull) throw CacheFull(tenant);
                    if (!tenant.Quota.CodeFits(code)) break; // ChargeCode names the code budget
                    // Full of modules in use: this request's module is not kept.
                    cache = false;
                    break;
                }
                tenant.Quota.ChargeCode(code);
                var compiled = new CompiledModule(tenant, id, module, size, elapsed, code, cache);
                if (cache)
                {
                    tenant.Modules[id] = compiled;
                    // The cache keeps its own reference; the caller gets another.
                    compiled.TryAddReference();
                }
                return new ModuleLease(compiled, hit: false);
            }
        }
        finally
        {
            foreach (var gone in evicted) pool.Forget(tenant, gone);
        }
    }

    private bool TryEvictOne(Tenant tenant)
    {
        if (EvictOne(tenant) is not { } gone) return false;
        pool.Forget(tenant, gone);
        return true;
    }

    /// <summary>
    /// Evicts the least recently used cached module that no live instance uses. Call under the
    /// tenant's lock, and <see cref="IInstancePool.Forget"/> it once out of the lock.
    /// </summary>
    private static CompiledModule? EvictOne(Tenant tenant)
    {
        CompiledModule? oldest = null;
        foreach (var module in tenant.Modules.Values)
        {
            if (module.LiveInstances == 0 && (oldest is null || module.LastUsedTicks < oldest.LastUsedTicks)) oldest = module;
        }
        if (oldest is null) return null;
        tenant.Modules.TryRemove(oldest.Id, out _);
        oldest.Evict();
        return oldest;
    }

    private static void CheckId(string id)
    {
        if (id.Length != ModuleIdLength || !id.All(char.IsAsciiHexDigitLower))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "module_id must be 64 lower-case hex digits (the SHA-256 of the module)"));
        }
    }

    private static RpcException CacheFull(Tenant tenant) => new(new Status(StatusCode.ResourceExhausted,
        $"the tenant caches {tenant.Modules.Count} modules, its modules cached limit (ModulesCached), and live instances use every one of them; drop instances or modules (DropModule) to make room"));

    private static RpcException ModuleNotFound(string id) => new(new Status(StatusCode.NotFound, $"module {id} not found"));
}

/// <summary>A reference to a compiled module held for one request; disposing it gives the reference back.</summary>
internal readonly struct ModuleLease(CompiledModule module, bool hit) : IDisposable
{
    public CompiledModule Module { get; } = module;

    /// <summary>True when the module came from the tenant's cache (or was stored by a compile running at the same time).</summary>
    public bool Hit { get; } = hit;

    public void Dispose() => Module?.Release();
}

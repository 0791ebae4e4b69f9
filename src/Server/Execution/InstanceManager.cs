using System.Diagnostics;
using System.Globalization;
using Sandbox.Engine;
using Grpc.Core;
using CallOptions = Sandbox.Engine.CallOptions;
using Sandbox.Server.Internal;
using Sandbox.Server.Telemetry;
using Sandbox.Server.Tenancy;
using Sandbox.V1;

namespace Sandbox.Server.Execution;

/// <summary>
/// A tenant's live instances: instantiation with linking by registration name, lookup (another
/// tenant's id is simply absent) and dropping. Memory is charged by the engine to the tenant's
/// <see cref="Tenant.Budget"/> as it is allocated.
/// </summary>
internal sealed class InstanceManager(SandboxMetrics metrics, TimeProvider time)
{
    private long nextSequence;

    /// <summary>
    /// Instantiates <paramref name="module"/> for the tenant, linking its imports to the tenant's
    /// registered instances; the start function runs under <paramref name="startOptions"/> (the
    /// call's deadline and cancellation), so an endless one ends in DEADLINE_EXCEEDED and gives
    /// its memory back rather than holding a thread.
    /// </summary>
    public async Task<HostedInstance> InstantiateAsync(Tenant tenant, CompiledModule module, InstantiateRequest request, CallOptions startOptions, ServerCallContext context)
    {
        var name = request.RegisterAs;
        WasiSession? wasi = null;
        if (WasiSession.Applies(module.Module, request.Wasi))
        {
            if (request.Wasi is { OutputFiles.Count: > 0 })
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "wasi.output_files is for Execute: no call returns the files of a stateful instance"));
            }
            wasi = WasiSession.Create(tenant, request.Wasi ?? new WasiConfig());
        }
        HostedInstance[] providers;
        Linker linker;
        try
        {
            providers = ResolveProviders(tenant, module, request.Imports, wasi is not null, out linker);
        }
        catch (Exception)
        {
            wasi?.Dispose();
            throw;
        }
        try
        {
            return await InstantiateAsync(tenant, module, request, startOptions, context, name, providers, linker, wasi).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The references taken for the new instance: nobody else will give them back.
            foreach (var provider in providers) provider.Release();
            wasi?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Instantiates a WASI program with <paramref name="session"/>'s context (its start function
    /// under <paramref name="startOptions"/>), mapping failures as Instantiate does.
    /// </summary>
    public Instance InstantiateWasi(Tenant tenant, CompiledModule module, WasiSession session, Linker linker, CallOptions startOptions, ServerCallContext context)
    {
        try
        {
            return session.Instantiate(linker, module.Module, new InstanceOptions { Limiter = tenant.Budget, StartOptions = startOptions });
        }
        catch (Exception e)
        {
            throw InstantiationFailed(tenant, module, e, context, module.Id);
        }
    }

    // The failures of instantiation as sandbox.proto's Instantiate lists them; others are rethrown.
    private RpcException InstantiationFailed(Tenant tenant, CompiledModule module, Exception e, ServerCallContext context, string label)
    {
        switch (e)
        {
            case ResourceLimitException limit:
                return tenant.Quota.Refused(limit);
            case LinkException:
                return new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
            case TrapException trap:
                metrics.Trap(tenant.Id, trap.Code);
                return Traps.ToRpcException(trap, context, label);
            case OutOfMemoryException or ArgumentException:
                // A memory over the engine's size limit, or one the machine cannot commit.
                return new RpcException(new Status(StatusCode.ResourceExhausted, e.Message));
            default:
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
                throw new InvalidOperationException("unreachable");
        }
    }

    private async Task<HostedInstance> InstantiateAsync(Tenant tenant, CompiledModule module, InstantiateRequest request, CallOptions startOptions, ServerCallContext context, string name, HostedInstance[] providers, Linker linker, WasiSession? wasi)
    {
        var options = new InstanceOptions
        {
            Limiter = tenant.Budget,
            HostHeapBytes = request.HostHeapSize,
            Allocator = request.Allocator is { Malloc.Length: > 0 } allocator
                ? new Engine.AllocatorExports(allocator.Malloc, allocator.Free.Length > 0 ? allocator.Free : null, AllocatorConvention.Libc)
                : null,
            StartOptions = startOptions,
        };
        using var reservation = tenant.Quota.ReserveInstance();
        if (name.Length > 0)
        {
            lock (tenant.SyncRoot)
            {
                if (tenant.RegisteredNames.ContainsKey(name)) throw new RpcException(new Status(StatusCode.AlreadyExists, $"an instance is already registered as '{name}'"));
            }
        }

        Extern[] imports;
        Instance instance;
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (wasi is not null)
            {
                // The context defines wasi_snapshot_preview1 in the linker and binds it to the
                // instance's memory before the start function runs; then a reactor is initialised.
                instance = wasi.Instantiate(linker, module.Module, options);
                imports = linker.Resolve(module.Module);
                try
                {
                    wasi.Initialize(instance, startOptions);
                }
                catch (Exception)
                {
                    instance.Dispose();
                    throw;
                }
            }
            else
            {
                imports = linker.Resolve(module.Module);
                // A start function runs like any guest call: on a thread that may run guest code, the request's not held.
                instance = await Instance.CreateAsync(module.Module, imports, options, context.CancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is ResourceLimitException or LinkException or TrapException or OutOfMemoryException or ArgumentException)
        {
            throw InstantiationFailed(tenant, module, e, context, name.Length > 0 ? name : module.Id);
        }
        metrics.Instantiated(tenant.Id, Stopwatch.GetElapsedTime(started));

        var sequence = Interlocked.Increment(ref nextSequence);
        var id = $"{sequence:x}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 6))}";
        var hosted = new HostedInstance(id, sequence, module, instance, imports, providers, name, time.GetUtcNow()) { Allocator = request.Allocator, Wasi = wasi };
        lock (tenant.SyncRoot)
        {
            if (name.Length > 0 && !tenant.RegisteredNames.TryAdd(name, hosted))
            {
                // Frees the engine instance; the caller releases the providers' references.
                foreach (var provider in providers) provider.AddReference();
                hosted.Release();
                throw new RpcException(new Status(StatusCode.AlreadyExists, $"an instance is already registered as '{name}'"));
            }
            tenant.Instances[id] = hosted;
        }
        return hosted;
    }

    /// <summary>The tenant's instance, or NOT_FOUND whether it never existed, was dropped, or is another tenant's.</summary>
    public static HostedInstance Find(Tenant tenant, string instanceId)
    {
        if (string.IsNullOrEmpty(instanceId)) throw new RpcException(new Status(StatusCode.InvalidArgument, "instance_id is required"));
        return tenant.Instances.TryGetValue(instanceId, out var instance) ? instance : throw InstanceNotFound(instanceId);
    }

    // One message whether the instance never existed, was dropped, or is another tenant's.
    private static RpcException InstanceNotFound(string instanceId) => new(new Status(StatusCode.NotFound, $"instance {instanceId} not found"));

    /// <summary>
    /// The tenant's instance with a reference held for the caller: its engine instance and memories
    /// stay alive until the lease is disposed, even if the instance is dropped meanwhile.
    /// </summary>
    public static InstanceLease Lease(Tenant tenant, string instanceId)
    {
        var hosted = Find(tenant, instanceId);
        return hosted.TryAddReference() ? new InstanceLease(hosted) : throw InstanceNotFound(instanceId);
    }

    /// <summary>
    /// Unregisters an instance at once; its engine instance is freed when the calls already under
    /// way (each holding a lease) and its importers are done.
    /// </summary>
    public static void Drop(Tenant tenant, string instanceId)
    {
        var hosted = Find(tenant, instanceId);
        lock (tenant.SyncRoot)
        {
            if (!tenant.Instances.TryRemove(instanceId, out _)) throw InstanceNotFound(instanceId);
            if (hosted.RegisteredName.Length > 0) tenant.RegisteredNames.Remove(hosted.RegisteredName);
        }
        hosted.Release();
    }

    /// <summary>A page of the tenant's instances, oldest first; the token is the last sequence number served.</summary>
    public static ListInstancesResponse List(Tenant tenant, ListInstancesRequest request)
    {
        long after = 0;
        if (request.PageToken.Length > 0 && (!request.PageToken.StartsWith('p') || !long.TryParse(request.PageToken.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out after)))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "page_token was not issued by this server"));
        }
        var pageSize = request.PageSize == 0 ? 100 : (int)Math.Min(request.PageSize, 1000u);
        var page = tenant.Instances.Values
            .Where(i => i.Sequence > after && (request.ModuleId.Length == 0 || i.Module.Id == request.ModuleId))
            .OrderBy(i => i.Sequence)
            .Take(pageSize + 1)
            .ToList();
        var response = new ListInstancesResponse();
        foreach (var instance in page.Take(pageSize)) response.Instances.Add(Describe(instance));
        if (page.Count > pageSize) response.NextPageToken = "p" + page[pageSize - 1].Sequence.ToString(CultureInfo.InvariantCulture);
        return response;
    }

    public static InstanceInfo Describe(HostedInstance instance)
    {
        var info = new InstanceInfo
        {
            InstanceId = instance.Id,
            ModuleId = instance.Module.Id,
            RegisteredName = instance.RegisteredName,
            CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(instance.CreatedAt),
            ChargedBytes = instance.ChargedBytes,
            Calls = (ulong)instance.Calls,
        };
        if (instance.LastUsedAt is { } last) info.LastUsedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(last);
        info.Memories.AddRange(MemoryInfos(instance));
        return info;
    }

    /// <summary>Every memory of the instance the host can see, index 0 first.</summary>
    public static IEnumerable<MemoryInfo> MemoryInfos(HostedInstance instance)
    {
        var definition = instance.Module.Module.Definition;
        for (var i = 0; i < instance.Memories.Length; i++)
        {
            if (instance.Memories[i] is { } memory) yield return Describe(instance, memory, (uint)i, definition);
        }
    }

    /// <summary>The memory an RPC names: an export name, or empty for memory 0; NOT_FOUND otherwise.</summary>
    public static (Memory Memory, uint Index) FindMemory(HostedInstance instance, string name)
    {
        if (name.Length == 0)
        {
            return instance.Memories.Length > 0 && instance.Memories[0] is { } first
                ? (first, 0u)
                : throw new RpcException(new Status(StatusCode.NotFound, instance.Memories.Length == 0 ? "the instance has no memory" : "memory 0 is neither imported nor exported, so the host cannot reach it"));
        }
        var memory = instance.Instance.GetMemory(name) ?? throw new RpcException(new Status(StatusCode.NotFound, $"no memory is exported as '{name}'"));
        return (memory, (uint)Array.IndexOf(instance.Memories, memory));
    }

    public static MemoryInfo Describe(HostedInstance instance, Memory memory, uint index, ModuleDefinition definition)
    {
        var exportName = definition.Exports.FirstOrDefault(e => e.Kind == ExternalKind.Memory && e.Index == index)?.Name ?? "";
        return Descriptors.ToMemoryInfo(memory, index, exportName, index < definition.ImportedMemoryCount);
    }

    private static string UnresolvedImport(CompiledModule module, string moduleName)
    {
        var import = module.Module.Imports.First(i => i.Module == moduleName);
        return $"unresolved import {import.Module}.{import.Name}: no instance is registered as '{moduleName}'";
    }

    /// <param name="wasi">The instance gets WASI: <c>wasi_snapshot_preview1</c> comes from its context, not a registered instance.</param>
    private static HostedInstance[] ResolveProviders(Tenant tenant, CompiledModule module, IEnumerable<ImportBinding> bindings, bool wasi, out Linker linker)
    {
        var redirect = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var binding in bindings)
        {
            if (!redirect.TryAdd(binding.Module, binding.InstanceName))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"import module '{binding.Module}' is bound twice"));
            }
        }
        linker = new Linker();
        var providers = new List<HostedInstance>();
        // One lock for every lookup and reference: a provider found here cannot be dropped and
        // freed before the new instance holds it (DropInstance unregisters under the same lock).
        lock (tenant.SyncRoot)
        {
            foreach (var moduleName in module.Module.Imports.Select(i => i.Module).Distinct(StringComparer.Ordinal))
            {
                if (wasi && moduleName == WasiSession.ModuleName) continue;
                var instanceName = redirect.GetValueOrDefault(moduleName, moduleName);
                if (!tenant.RegisteredNames.TryGetValue(instanceName, out var provider))
                {
                    foreach (var taken in providers) taken.Release();
                    // sandbox.proto, Instantiate: an instance named in `imports` that does not exist is
                    // NOT_FOUND; an import nothing provides is a link error, FAILED_PRECONDITION naming it.
                    throw redirect.ContainsKey(moduleName)
                        ? new RpcException(new Status(StatusCode.NotFound, $"no instance is registered as '{instanceName}' (bound to import module '{moduleName}')"))
                        : new RpcException(new Status(StatusCode.FailedPrecondition, UnresolvedImport(module, moduleName)));
                }
                provider.AddReference();
                linker.DefineInstance(moduleName, provider.Instance);
                providers.Add(provider);
            }
        }
        return [.. providers];
    }
}

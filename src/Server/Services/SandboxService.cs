using System.Runtime.ExceptionServices;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sandbox.Engine;
using Grpc.Core;
using Sandbox.Server.Execution;
using Sandbox.Server.Internal;
using Sandbox.Server.Pooling;
using Sandbox.Server.Telemetry;
using Sandbox.Server.Tenancy;
using Sandbox.V1;
using TenantLimits = Sandbox.V1.TenantLimits;

namespace Sandbox.Server.Services;

/// <summary>
/// The <c>sandbox.v1.Sandbox</c> service: thin adapters from requests to the module catalog, the
/// instance manager, the pool and the engine, and back. The caller's tenant comes from
/// <see cref="ApiKeyAuthenticationHandler"/>, and <c>MapSandbox</c> puts its endpoints behind the
/// tenant policy; quota rules live in <see cref="TenantQuota"/>.
/// </summary>
internal sealed class SandboxService(
    ModuleCatalog catalog,
    InstanceManager instances,
    IInstancePool pool,
    GuestCalls guests,
    TenantMetricsCollector collector,
    TimeProvider time) : V1.Sandbox.SandboxBase
{
    /// <summary>ReadMemory's unary limit: 4 MiB - 64 KiB, so that the response fits the default message size.</summary>
    private const ulong MaxUnaryReadBytes = (4UL << 20) - (64UL << 10);
    private const uint DefaultChunkBytes = 64 << 10;
    private const uint MaxChunkBytes = 1 << 20;
    private static readonly TimeSpan DefaultWatchInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinWatchInterval = TimeSpan.FromMilliseconds(100);
    private const string HostHeapAllocatorName = "host heap"; // MemoryAllocator.Name of the engine's host heap

    public override async Task<CompileModuleResponse> CompileModule(CompileModuleRequest request, ServerCallContext context)
    {
        using var lease = await catalog.GetOrCompileAsync(context.GetTenant(), request.Wasm, mustCache: true, context.CancellationToken).ConfigureAwait(false);
        var module = lease.Module;
        var response = new CompileModuleResponse
        {
            ModuleId = module.Id,
            Cached = lease.Hit,
            SizeBytes = module.SizeBytes,
            CompileDuration = Duration.FromTimeSpan(lease.Hit ? TimeSpan.Zero : module.CompileDuration),
            CodeBytes = module.CodeBytes,
        };
        response.Imports.AddRange(module.Imports);
        response.Exports.AddRange(module.Exports);
        return response;
    }

    public override Task<DropModuleResponse> DropModule(DropModuleRequest request, ServerCallContext context) =>
        Task.FromResult(new DropModuleResponse { LiveInstances = (uint)catalog.Drop(context.GetTenant(), request.ModuleId) });

    public override async Task<InstantiateResponse> Instantiate(InstantiateRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenant();
        using var lease = await ResolveModuleAsync(tenant, request.ModuleCase == InstantiateRequest.ModuleOneofCase.ModuleId, request.ModuleId, request.Wasm, context).ConfigureAwait(false);
        var module = lease.Module;
        // The start function is a call like any other: the tenant's timeout and the RPC's deadline bound it.
        var startOptions = guests.OptionsFor(tenant, request.Limits, context);
        var hosted = await instances.InstantiateAsync(tenant, module, request, startOptions, context).ConfigureAwait(false);
        var response = new InstantiateResponse { InstanceId = hosted.Id, ModuleId = module.Id, ChargedBytes = hosted.ChargedBytes };
        if (hosted.Wasi is { } wasi)
        {
            // No call can reach the instance before its id is returned: the output is the set-up's.
            response.Wasi = new V1.WasiResult();
            wasi.Complete(0, response.Wasi);
        }
        response.Exports.AddRange(module.Exports);
        response.Memories.AddRange(InstanceManager.MemoryInfos(hosted));
        return response;
    }

    public override async Task<InvokeResponse> Invoke(InvokeRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenant();
        using var lease = InstanceManager.Lease(tenant, request.InstanceId);
        var hosted = lease.Instance;
        var function = GuestCalls.ExportedFunction(hosted.Instance, request.Function);
        var options = guests.OptionsFor(tenant, request.Limits, context);
        var response = new InvokeResponse { Wasi = hosted.Wasi is null ? null : new V1.WasiResult() };
        hosted.MarkUsed(time.GetUtcNow(), invoke: true);
        response.Stats = await guests.CallAsync(hosted.Queue, tenant, function, request.Args, hosted, ModuleLabel(hosted), options, context, response.Results, hosted.Wasi, response.Wasi).ConfigureAwait(false);
        return response;
    }

    public override async Task<ExecuteResponse> Execute(ExecuteRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenant();
        using var lease = await ResolveModuleAsync(tenant, request.ModuleCase == ExecuteRequest.ModuleOneofCase.ModuleId, request.ModuleId, request.Wasm, context).ConfigureAwait(false);
        var module = lease.Module;
        if (WasiSession.Applies(module.Module, request.Wasi)) return await ExecuteWasiAsync(tenant, module, request, context, output: null).ConfigureAwait(false);
        return await ExecutePooledAsync(tenant, module, request, context).ConfigureAwait(false);
    }

    public override async Task ExecuteStream(ExecuteRequest request, IServerStreamWriter<ExecuteEvent> responseStream, ServerCallContext context)
    {
        var tenant = context.GetTenant();
        using var lease = await ResolveModuleAsync(tenant, request.ModuleCase == ExecuteRequest.ModuleOneofCase.ModuleId, request.ModuleId, request.Wasm, context).ConfigureAwait(false);
        var module = lease.Module;
        var response = WasiSession.Applies(module.Module, request.Wasi)
            ? await ExecuteWasiStreamingAsync(tenant, module, request, responseStream, context).ConfigureAwait(false)
            : await ExecutePooledAsync(tenant, module, request, context).ConfigureAwait(false);
        await responseStream.WriteAsync(new ExecuteEvent { Result = response }).ConfigureAwait(false);
    }

    /// <summary>
    /// A WASI run whose output goes to the client as it is written: the guest runs on a thread of
    /// its own while this one forwards the pipe's chunks, so a full pipe holds the guest (in
    /// fd_write, bounded by the call's deadline), never this method's memory. The guest's failure
    /// is thrown only after every chunk it wrote before it was sent.
    /// </summary>
    private async Task<ExecuteResponse> ExecuteWasiStreamingAsync(Tenant tenant, CompiledModule module, ExecuteRequest request, IServerStreamWriter<ExecuteEvent> responseStream, ServerCallContext context)
    {
        var output = WasiSession.CreatePipe(tenant);
        // Instantiation runs the start function, which may write too: it is part of the run.
        var run = Task.Run(async () =>
        {
            try
            {
                return await ExecuteWasiAsync(tenant, module, request, context, output).ConfigureAwait(false);
            }
            finally
            {
                output.Complete();
            }
        });
        ExceptionDispatchInfo? sendFailed = null;
        try
        {
            while (await output.ReadAsync().ConfigureAwait(false) is { } chunk)
            {
                // The chunk owns its bytes (WasiOutputChunk): wrapping them copies nothing.
                var bytes = UnsafeByteOperations.UnsafeWrap(chunk.Bytes);
                var message = chunk.Stream == Engine.Wasi.WasiStdStream.Stdout ? new ExecuteEvent { Stdout = bytes } : new ExecuteEvent { Stderr = bytes };
                await responseStream.WriteAsync(message).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away (its abort also cancels the call's token, which stops the guest):
            // drop the rest of the output so the guest cannot wait for room, and let it end.
            sendFailed = ExceptionDispatchInfo.Capture(e);
            output.Complete();
        }
        // Always awaited: the module's lease and the session must outlive the guest.
        var response = await run.ConfigureAwait(false);
        sendFailed?.Throw();
        return response;
    }

    /// <summary>Execute of a module that is not a WASI command: a pooled instance, reset after the call.</summary>
    private async Task<ExecuteResponse> ExecutePooledAsync(Tenant tenant, CompiledModule module, ExecuteRequest request, ServerCallContext context)
    {
        if (module.Module.Imports.Count > 0)
        {
            var import = module.Module.Imports[0];
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"the module imports {import.Module}.{import.Name}; Execute links only {WasiSession.ModuleName}, use Instantiate for other imports"));
        }
        if (string.IsNullOrEmpty(request.Function)) throw new RpcException(new Status(StatusCode.InvalidArgument, "function is required"));
        if (!module.Module.Exports.Any(e => e.Kind == ExternalKind.Function && e.Name == request.Function))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"no function is exported as '{request.Function}'"));
        }
        var options = guests.OptionsFor(tenant, request.Limits, context);
        Instance instance;
        bool hit;
        try
        {
            (instance, hit) = await pool.RentAsync(tenant, module, options, context.CancellationToken).ConfigureAwait(false);
        }
        catch (TrapException trap)
        {
            throw Traps.ToRpcException(trap, context, module.Id);
        }
        catch (ResourceLimitException e)
        {
            throw tenant.Quota.Refused(e);
        }
        var response = new ExecuteResponse { ModuleId = module.Id, PoolHit = hit };
        try
        {
            var function = GuestCalls.ExportedFunction(instance, request.Function);
            response.Stats = await guests.CallAsync(instance.Calls, tenant, function, request.Args, owner: null, module.Id, options, context, response.Results).ConfigureAwait(false);
        }
        finally
        {
            // Not before the call has run or was cancelled in the queue: the pool disposes it.
            pool.Return(tenant, module, instance);
        }
        return response;
    }

    /// <summary>
    /// Execute of a WASI program: never pooled, since a WASI context is bound when its instance is
    /// made; each call instantiates the module with a context and filesystem of its own.
    /// </summary>
    private async Task<ExecuteResponse> ExecuteWasiAsync(Tenant tenant, CompiledModule module, ExecuteRequest request, ServerCallContext context, Engine.Wasi.WasiOutputPipe? output)
    {
        WasiSession.CheckOnlyWasiImports(module.Module);
        var functionName = string.IsNullOrEmpty(request.Function) ? "_start" : request.Function;
        if (!module.Module.Exports.Any(e => e.Kind == ExternalKind.Function && e.Name == functionName))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"no function is exported as '{functionName}'"));
        }
        var options = guests.OptionsFor(tenant, request.Limits, context);
        using var session = WasiSession.Create(tenant, request.Wasi ?? new WasiConfig(), output);
        var instance = instances.InstantiateWasi(tenant, module, session, new Linker(), options, context);
        var response = new ExecuteResponse { ModuleId = module.Id, PoolHit = false, Wasi = new V1.WasiResult() };
        try
        {
            var function = GuestCalls.ExportedFunction(instance, functionName);
            response.Stats = await guests.CallAsync(instance.Calls, tenant, function, request.Args, owner: null, module.Id, options, context, response.Results, session, response.Wasi).ConfigureAwait(false);
        }
        finally
        {
            instance.Dispose();
        }
        return response;
    }

    public override async Task<MallocResponse> Malloc(MallocRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenant();
        using var lease = InstanceManager.Lease(tenant, request.InstanceId);
        var hosted = lease.Instance;
        if (request.Size == 0) throw new RpcException(new Status(StatusCode.InvalidArgument, "size must be greater than 0"));
        var align = request.Align == 0 ? 8u : request.Align;
        if (!uint.IsPow2(align)) throw new RpcException(new Status(StatusCode.InvalidArgument, "align must be a power of two"));
        var allocator = AllocatorOf(hosted);
        ulong? offset;
        if (GuestLibcExport(hosted, allocator, hosted.Allocator?.Malloc, "malloc") is { } malloc)
        {
            // A libc-style guest allocator runs under the call's deadline like any guest call.
            if (request.Size > uint.MaxValue) throw new RpcException(new Status(StatusCode.OutOfRange, "size does not fit a 32-bit guest allocator"));
            var arguments = malloc.Type.Parameters.Length == 2
                ? new[] { V1.Value.FromI32((int)(uint)request.Size), V1.Value.FromI32((int)align) }
                : new[] { V1.Value.FromI32((int)(uint)request.Size) };
            var results = new List<V1.Value>(1);
            await CallQueuedAsync(tenant, hosted, malloc, arguments, request.Limits, context, results).ConfigureAwait(false);
            offset = results is [{ KindCase: V1.Value.KindOneofCase.I32 } result] && result.I32 != 0 ? (uint)result.I32 : null;
        }
        else
        {
            var options = guests.OptionsFor(tenant, request.Limits, context);
            offset = await WithAllocatorAsync(hosted, allocator, context, () => allocator.Malloc(request.Size, align, options)).ConfigureAwait(false);
        }
        return offset is { } at
            ? new MallocResponse { Offset = at }
            : throw new RpcException(new Status(StatusCode.ResourceExhausted, $"the allocator ({allocator.Name}) has no block of {request.Size} bytes"));
    }

    public override async Task<FreeResponse> Free(FreeRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenant();
        using var lease = InstanceManager.Lease(tenant, request.InstanceId);
        var hosted = lease.Instance;
        var allocator = AllocatorOf(hosted);
        if (hosted.Allocator is { Free.Length: 0 } named)
        {
            // InstantiateRequest.allocator named the pair: an empty free means none, never the
            // module's own `free` (sandbox.proto, AllocatorExports.free).
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"the instance's allocator ('{named.Malloc}') names no free export (InstantiateRequest.allocator.free)"));
        }
        if (GuestLibcExport(hosted, allocator, hosted.Allocator?.Free, "free") is { } free)
        {
            if (request.Offset > uint.MaxValue) throw new RpcException(new Status(StatusCode.InvalidArgument, "offset is not one Malloc returned"));
            await CallQueuedAsync(tenant, hosted, free, [V1.Value.FromI32((int)(uint)request.Offset)], request.Limits, context, []).ConfigureAwait(false);
            return new FreeResponse();
        }
        if (!allocator.CanFree) throw new RpcException(new Status(StatusCode.FailedPrecondition, $"the instance's allocator ({allocator.Name}) cannot free"));
        try
        {
            var options = guests.OptionsFor(tenant, request.Limits, context);
            await WithAllocatorAsync(hosted, allocator, context, () => { allocator.Free(request.Offset, options); return (ulong?)null; }).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
        return new FreeResponse();
    }

    public override Task<ReadMemoryResponse> ReadMemory(ReadMemoryRequest request, ServerCallContext context)
    {
        if (request.Length > MaxUnaryReadBytes)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"length is over ReadMemory's limit of {MaxUnaryReadBytes} bytes; use ReadMemoryStream"));
        }
        using var lease = InstanceManager.Lease(context.GetTenant(), request.InstanceId);
        var memory = FindMemory(lease, request.Memory);
        CheckRange(memory, request.Offset, request.Length);
        lease.Instance.MarkUsed(time.GetUtcNow(), invoke: false);
        return Task.FromResult(new ReadMemoryResponse { Data = ByteString.CopyFrom(memory.GetSpan(request.Offset, (int)request.Length)) });
    }

    public override async Task ReadMemoryStream(ReadMemoryRequest request, IServerStreamWriter<MemoryChunk> responseStream, ServerCallContext context)
    {
        // Held until the last chunk is written: a drop meanwhile does not free the memory being read.
        using var lease = InstanceManager.Lease(context.GetTenant(), request.InstanceId);
        var memory = FindMemory(lease, request.Memory);
        CheckRange(memory, request.Offset, request.Length);
        lease.Instance.MarkUsed(time.GetUtcNow(), invoke: false);
        var chunk = request.ChunkSize == 0 ? DefaultChunkBytes : Math.Min(request.ChunkSize, MaxChunkBytes);
        for (ulong done = 0; done < request.Length; done += chunk)
        {
            var length = (int)Math.Min(chunk, request.Length - done);
            // Checked again per chunk: only growth can have happened meanwhile, which keeps the range valid.
            var data = ByteString.CopyFrom(memory.GetSpan(request.Offset + done, length));
            await responseStream.WriteAsync(new MemoryChunk { Offset = request.Offset + done, Data = data }).ConfigureAwait(false);
        }
    }

    public override Task<WriteMemoryResponse> WriteMemory(WriteMemoryRequest request, ServerCallContext context)
    {
        using var lease = InstanceManager.Lease(context.GetTenant(), request.InstanceId);
        Write(lease.Instance, FindMemory(lease, request.Memory), request);
        return Task.FromResult(new WriteMemoryResponse { BytesWritten = (ulong)request.Data.Length });
    }

    public override async Task<WriteMemoryResponse> WriteMemoryStream(IAsyncStreamReader<WriteMemoryRequest> requestStream, ServerCallContext context)
    {
        InstanceLease? lease = null;
        Memory? memory = null;
        ulong written = 0;
        try
        {
            while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
            {
                var request = requestStream.Current;
                if (lease is null || request.InstanceId.Length > 0 || request.Memory.Length > 0)
                {
                    var next = InstanceManager.Lease(context.GetTenant(), request.InstanceId.Length > 0 ? request.InstanceId : lease?.Instance.Id ?? "");
                    lease?.Dispose();
                    lease = next;
                    memory = FindMemory(next, request.Memory);
                }
                Write(lease.Value.Instance, memory!, request);
                written += (ulong)request.Data.Length;
            }
        }
        finally
        {
            lease?.Dispose();
        }
        return new WriteMemoryResponse { BytesWritten = written };
    }

    public override Task<GrowMemoryResponse> GrowMemory(GrowMemoryRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenant();
        using var lease = InstanceManager.Lease(tenant, request.InstanceId);
        var hosted = lease.Instance;
        var (memory, index) = InstanceManager.FindMemory(hosted, request.Memory);
        var bytes = request.DeltaPages > (ulong.MaxValue / memory.PageSize) ? ulong.MaxValue : request.DeltaPages * memory.PageSize;
        tenant.Quota.CheckGrowth(bytes);
        var previous = memory.Grow(request.DeltaPages);
        if (previous < 0)
        {
            throw new RpcException(new Status(StatusCode.OutOfRange, $"the memory cannot grow by {request.DeltaPages} pages: its maximum is {memory.Maximum?.ToString() ?? "the engine's"} pages and it has {memory.Size}"));
        }
        hosted.MarkUsed(time.GetUtcNow(), invoke: false);
        return Task.FromResult(new GrowMemoryResponse
        {
            PreviousPages = (ulong)previous,
            Memory = InstanceManager.Describe(hosted, memory, index, hosted.Module.Module.Definition),
        });
    }

    public override Task<GetMemoryInfoResponse> GetMemoryInfo(GetMemoryInfoRequest request, ServerCallContext context)
    {
        using var lease = InstanceManager.Lease(context.GetTenant(), request.InstanceId);
        var hosted = lease.Instance;
        var (memory, index) = InstanceManager.FindMemory(hosted, request.Memory);
        return Task.FromResult(new GetMemoryInfoResponse { Memory = InstanceManager.Describe(hosted, memory, index, hosted.Module.Module.Definition) });
    }

    public override Task<DropInstanceResponse> DropInstance(DropInstanceRequest request, ServerCallContext context)
    {
        InstanceManager.Drop(context.GetTenant(), request.InstanceId);
        return Task.FromResult(new DropInstanceResponse());
    }

    public override Task<ListInstancesResponse> ListInstances(ListInstancesRequest request, ServerCallContext context) =>
        Task.FromResult(InstanceManager.List(context.GetTenant(), request));

    public override Task<GetUsageResponse> GetUsage(GetUsageRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenant();
        return Task.FromResult(new GetUsageResponse { TenantId = tenant.Id, Usage = Usage(tenant), Limits = Limits(tenant) });
    }

    public override async Task WatchMetrics(WatchMetricsRequest request, IServerStreamWriter<MetricsSample> responseStream, ServerCallContext context)
    {
        var tenant = context.GetTenant();
        var interval = request.Interval?.ToTimeSpan() ?? TimeSpan.Zero;
        if (interval < TimeSpan.Zero) throw new RpcException(new Status(StatusCode.InvalidArgument, "interval must not be negative"));
        interval = interval == TimeSpan.Zero ? DefaultWatchInterval : interval < MinWatchInterval ? MinWatchInterval : interval;
        var limits = Limits(tenant);
        try
        {
            while (true)
            {
                var sample = new MetricsSample { Time = Timestamp.FromDateTimeOffset(time.GetUtcNow()), TenantId = tenant.Id, Usage = Usage(tenant), Limits = limits };
                sample.Metrics.AddRange(collector.Snapshot(tenant.Id));
                await responseStream.WriteAsync(sample).ConfigureAwait(false);
                await Task.Delay(interval, time, context.CancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client cancelled: the only way a watch ends.
        }
    }

    /// <summary>The tenant's usage now, for GetUsage, WatchMetrics and the gauges.</summary>
    internal TenantUsage Usage(Tenant tenant) => new()
    {
        MemoryBytes = tenant.Quota.MemoryBytesUsed(),
        Instances = (uint)tenant.Instances.Count,
        ModulesCached = (uint)tenant.Modules.Count,
        CodeBytes = tenant.CodeBytesUsed,
        ConcurrentCalls = (uint)Math.Max(0, tenant.CallsInFlight),
        PooledInstances = (uint)pool.IdleCount(tenant),
    };

    private static TenantLimits Limits(Tenant tenant)
    {
        var limits = tenant.Limits;
        var result = new TenantLimits
        {
            MemoryBytes = limits.MemoryBytes,
            Instances = (uint)limits.Instances,
            ModuleBytes = limits.ModuleBytes,
            ModulesCached = (uint)limits.ModulesCached,
            CodeBytes = limits.CodeBytes,
            ConcurrentCompiles = (uint)limits.ConcurrentCompiles,
            DefaultCallTimeout = Duration.FromTimeSpan(limits.DefaultCallTimeout),
            MaxCallTimeout = Duration.FromTimeSpan(limits.MaxCallTimeout),
            ConcurrentCalls = (uint)limits.ConcurrentCalls,
            WasiOutputBytes = limits.WasiOutputBytes,
        };
        if (limits.FuelPerCall is { } fuel) result.FuelPerCall = fuel;
        return result;
    }

    /// <summary>The module a request names by id or brings inline, with a reference held for the request.</summary>
    private ValueTask<ModuleLease> ResolveModuleAsync(Tenant tenant, bool byId, string moduleId, ByteString wasm, ServerCallContext context)
    {
        if (byId) return ValueTask.FromResult(ModuleCatalog.Find(tenant, moduleId));
        if (wasm.IsEmpty) throw new RpcException(new Status(StatusCode.InvalidArgument, "module_id or wasm is required"));
        // Inline bytes never fail for a full cache: a module it cannot keep serves this request alone.
        return new(catalog.GetOrCompileAsync(tenant, wasm, mustCache: false, context.CancellationToken));
    }

    private async Task CallQueuedAsync(Tenant tenant, HostedInstance hosted, Function function, V1.Value[] args, CallLimits? limits, ServerCallContext context, List<V1.Value> results)
    {
        var options = guests.OptionsFor(tenant, limits, context);
        hosted.MarkUsed(time.GetUtcNow(), invoke: false);
        await guests.CallAsync(hosted.Queue, tenant, function, args, hosted, ModuleLabel(hosted), options, context, results).ConfigureAwait(false);
    }

    private static MemoryAllocator AllocatorOf(HostedInstance hosted) =>
        hosted.Instance.Allocator ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
            "the instance has neither an allocator export nor a host heap (InstantiateRequest.host_heap_size)"));

    /// <summary>The guest's libc-style export to call directly (with a deadline), or null to go through the engine's allocator.</summary>
    private static Function? GuestLibcExport(HostedInstance hosted, MemoryAllocator allocator, string? configured, string standard)
    {
        if (allocator.Name == HostHeapAllocatorName) return null;
        var function = hosted.Instance.GetFunction(string.IsNullOrEmpty(configured) ? standard : configured);
        return function is { Type.Parameters.Length: 1 or 2 } && function.Type.Parameters.All(p => p == Engine.ValueType.I32) ? function : null;
    }

    /// <summary>
    /// Runs the engine's allocator: the host heap is thread-safe; a guest allocator of another
    /// convention (AssemblyScript, cabi_realloc) runs guest code, so it waits for the instance's
    /// other calls, and <paramref name="action"/> passes it the call's options (deadline, cancellation).
    /// </summary>
    private async Task<ulong?> WithAllocatorAsync(HostedInstance hosted, MemoryAllocator allocator, ServerCallContext context, Func<ulong?> action)
    {
        if (allocator.Name == HostHeapAllocatorName) return action();
        hosted.MarkUsed(time.GetUtcNow(), invoke: false);
        try
        {
            return await hosted.Queue.RunAsync(action, context.CancellationToken).ConfigureAwait(false);
        }
        catch (TrapException trap)
        {
            throw Traps.ToRpcException(trap, context, ModuleLabel(hosted));
        }
    }

    private static Memory FindMemory(InstanceLease lease, string memoryName) => InstanceManager.FindMemory(lease.Instance, memoryName).Memory;

    private void Write(HostedInstance hosted, Memory memory, WriteMemoryRequest request)
    {
        CheckRange(memory, request.Offset, (ulong)request.Data.Length);
        request.Data.Span.CopyTo(memory.GetSpan(request.Offset, request.Data.Length));
        hosted.MarkUsed(time.GetUtcNow(), invoke: false);
    }

    // As WAMR's wasm_runtime_validate_app_addr: offset + length within the current size, without overflow.
    private static void CheckRange(Memory memory, ulong offset, ulong length)
    {
        var size = memory.ByteLength;
        if (offset > size || length > size - offset)
        {
            throw new RpcException(new Status(StatusCode.OutOfRange, $"the range {offset}+{length} is outside the memory's {size} bytes"));
        }
    }

    private static string ModuleLabel(HostedInstance hosted) => hosted.RegisteredName.Length > 0 ? hosted.RegisteredName : hosted.Module.Id;
}

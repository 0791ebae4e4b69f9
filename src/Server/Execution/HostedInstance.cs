using Sandbox.Engine;
using Sandbox.Server.Internal;

namespace Sandbox.Server.Execution;

/// <summary>
/// An engine instance held for a tenant: its id and registration name, and the instances it
/// imports from (kept alive while it lives). References keep the engine instance, and so its
/// memories, alive: the tenant's while it is registered, one per importing instance, one per RPC
/// using it (<see cref="InstanceManager.Lease"/>).
/// </summary>
internal sealed class HostedInstance
{
    private readonly Lock funcrefLock = new();
    private readonly Dictionary<ulong, Function> funcrefs = [];
    private readonly HostedInstance[] providers;
    private int references = 1;
    private long calls;
    private long lastUsedTicks;

    private readonly Action<HostedInstance>? freed;

    /// <param name="providers">The instances it imports from, each with a reference taken by <see cref="AddReference"/> that this instance now owns.</param>
    public HostedInstance(string id, long sequence, CompiledModule module, Instance instance, Extern[] imports, HostedInstance[] providers, string registeredName, DateTimeOffset createdAt, Action<HostedInstance>? freed = null)
    {
        this.freed = freed;
        Id = id;
        Sequence = sequence;
        Module = module;
        Instance = instance;
        RegisteredName = registeredName;
        CreatedAt = createdAt;
        this.providers = providers;
        Memories = Footprint.MemoriesOf(module.Module.Definition, instance, imports);
        // The module's code stays charged, and the cache keeps it, while the instance lives. The
        // creator holds a lease on the module, so the reference can be had.
        if (!module.TryAddReference()) throw new InvalidOperationException("the module was released under a lease");
        module.InstanceCreated();
    }

    public string Id { get; }

    /// <summary>Creation order, for listing oldest first and for page tokens.</summary>
    public long Sequence { get; }

    public CompiledModule Module { get; }

    public Instance Instance { get; }

    public string RegisteredName { get; }

    /// <summary>The instance's WASI context and filesystem when it was made with WASI (freed with the instance); else null.</summary>
    public WasiSession? Wasi { get; init; }

    /// <summary>The guest allocator's export names, when Instantiate named them; null for <c>malloc</c>/<c>free</c>.</summary>
    public V1.AllocatorExports? Allocator { get; init; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>The instance's memories by index; null where a defined memory is not exported (the engine shows only exports).</summary>
    public Memory?[] Memories { get; }

    /// <summary>Runs guest calls one at a time, in arrival order, as an engine instance requires.</summary>
    public CallQueue Queue => Instance.Calls;

    public long Calls => Interlocked.Read(ref calls);

    public DateTimeOffset? LastUsedAt => Interlocked.Read(ref lastUsedTicks) is var t && t == 0 ? null : new DateTimeOffset(t, TimeSpan.Zero);

    public void MarkUsed(DateTimeOffset now, bool invoke)
    {
        Interlocked.Exchange(ref lastUsedTicks, now.UtcTicks);
        if (invoke) Interlocked.Increment(ref calls);
    }

    /// <summary>Bytes this instance adds to the budget: its own memories and tables, not imported ones.</summary>
    public ulong ChargedBytes => Footprint.ChargedBytes(Module.Module.Definition, Instance, Memories);

    /// <summary>An opaque handle for a funcref result, valid for calls on this instance.</summary>
    public ulong HandleFor(Function function)
    {
        lock (funcrefLock)
        {
            foreach (var (handle, known) in funcrefs)
            {
                if (ReferenceEquals(known, function)) return handle;
            }
            var next = (ulong)funcrefs.Count + 1;
            funcrefs[next] = function;
            return next;
        }
    }

    /// <summary>The function behind a handle this instance issued, or null.</summary>
    public Function? FunctionFor(ulong handle)
    {
        lock (funcrefLock) return funcrefs.GetValueOrDefault(handle);
    }

    /// <summary>Takes a reference for an importer. Call under the tenant's lock, while the instance is still registered.</summary>
    public void AddReference() => Interlocked.Increment(ref references);

    /// <summary>Takes a reference unless the engine instance is already freed (the last reference went).</summary>
    public bool TryAddReference() => References.TryAdd(ref references);

    /// <summary>
    /// Gives up one reference. The last one (the tenant's, one per importing instance, one per RPC
    /// under way) frees the engine instance, so no memory is freed under a call or an importer.
    /// </summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref references) != 0) return;
        Instance.Dispose();
        Wasi?.Dispose();
        Module.InstanceFreed();
        freed?.Invoke(this);
        foreach (var provider in providers) provider.Release();
    }
}

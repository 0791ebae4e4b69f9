using Sandbox.Engine.Runtime;

namespace Sandbox.Engine;

/// <summary>
/// An instantiated module (Spec 4.2.5): its functions, tables, memories and globals, imported or
/// its own, and its exports. Instantiation links the imports, initialises globals, runs the active
/// element and data segments and the start function (Spec 4.5.4).
/// </summary>
/// <remarks>
/// An instance runs one call at a time (like a wasmtime Store); instances on different threads
/// are independent.
/// </remarks>
public sealed class Instance : IDisposable
{
    // Read by generated code (this object is every Wasm function's last argument).
    internal readonly Function[] Functions;
    internal readonly Table[] Tables;
    internal readonly Memory[] Memories;
    internal readonly Memory? Memory0;
    internal readonly Global[] Globals;
    internal readonly ReadOnlyMemory<byte>[] DataSegments;
    internal readonly object?[][] ElementSegments;

    private readonly Dictionary<string, Extern> exports;
    private CallQueue? calls;
    private readonly int importedMemoryCount;
    private readonly int importedTableCount;

    /// <summary>
    /// Instantiates <paramref name="module"/> with <paramref name="imports"/> given in the order of
    /// the module's imports (a <see cref="Linker"/> resolves them by name).
    /// </summary>
    /// <param name="module">The compiled module.</param>
    /// <param name="imports">One extern per import, in import order.</param>
    /// <param name="options">The resource limiter, the allocator choice and the start function's limits; default none, detected and unlimited.</param>
    /// <exception cref="LinkException">An import is missing or of the wrong kind or type, or a configured allocator export is.</exception>
    /// <exception cref="ResourceLimitException">The limiter refused a memory or table, or the host heap did not fit.</exception>
    /// <exception cref="TrapException">
    /// A segment is out of bounds or the start function trapped, or was stopped by
    /// <see cref="InstanceOptions.StartOptions"/> (<see cref="TrapCode.Interrupted"/>). Nothing stays
    /// charged to the limiter.
    /// </exception>
    public Instance(Module module, IReadOnlyList<Extern> imports, InstanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(imports);
        options ??= InstanceOptions.Default;
        Module = module;
        var definition = module.Definition;
        ImportMatcher.Check(definition, imports);

        Functions = new Function[definition.TotalFunctionCount];
        Tables = new Table[definition.TotalTableCount];
        Memories = new Memory[definition.TotalMemoryCount];
        Globals = new Global[definition.TotalGlobalCount];
        int f = 0, t = 0, m = 0, g = 0;
        foreach (var import in imports)
        {
            switch (import)
            {
                case Function function: Functions[f++] = function; break;
                case Table table: Tables[t++] = table; break;
                case Memory memory: Memories[m++] = memory; break;
                case Global global: Globals[g++] = global; break;
            }
        }
        importedTableCount = t;
        importedMemoryCount = m;
        for (var i = 0; i < definition.Functions.Length; i++, f++)
        {
            var typeIndex = definition.Functions[i];
            Functions[f] = new Function(definition.Types[typeIndex], module.Code.TypeIds[typeIndex], module.Code.EntryPoints[i], this, module.Code, callback: null, this, (uint)f);
        }
        exports = new Dictionary<string, Extern>(definition.Exports.Length, StringComparer.Ordinal);
        DataSegments = [];
        ElementSegments = [];
        try
        {
            // Tables and memories draw on the limiter; anything made before a refusal or trap is
            // released by Dispose, so a failed instantiation leaves the budget as it found it.
            foreach (var tableType in definition.Tables) Tables[t++] = new Table(tableType, options: module.Options, limiter: options.Limiter);
            foreach (var memoryType in definition.Memories) Memories[m++] = new Memory(memoryType, module.Options, options.Limiter);
            Memory0 = Memories.Length > 0 ? Memories[0] : null;
            foreach (var global in definition.Globals)
            {
                Globals[g++] = new Global(global.Type, ConstantEvaluator.Evaluate(global.Init, global.Type.ValueType, this));
            }

            ElementSegments = new object?[definition.Elements.Length][];
            for (var i = 0; i < definition.Elements.Length; i++)
            {
                var segment = definition.Elements[i];
                var items = new object?[segment.Items.Length];
                for (var j = 0; j < items.Length; j++)
                {
                    items[j] = ConstantEvaluator.Evaluate(segment.Items[j], segment.ElementType, this).Reference;
                }
                ElementSegments[i] = items;
            }
            DataSegments = definition.Data.Select(d => d.Data).ToArray();

            foreach (var export in definition.Exports)
            {
                exports[export.Name] = export.Kind switch
                {
                    ExternalKind.Function => Functions[export.Index],
                    ExternalKind.Table => Tables[export.Index],
                    ExternalKind.Memory => Memories[export.Index],
                    _ => Globals[export.Index],
                };
            }

            InitializeSegments(definition);
            // After the segments (a heap must not make an out-of-bounds segment fit), before the
            // start function (which then sees the heap's pages in memory.size, as under WAMR).
            Allocator = CreateAllocator(options);
            // On a guest thread under the caller's limits, like any call: an endless start
            // function then traps Interrupted, and the catch below releases what was acquired.
            options.BeforeStart?.Invoke(this);
            if (definition.StartFunction is { } start) Functions[start].Invoke([], [], options.StartOptions);
        }
        catch (Exception)
        {
            Dispose(); // nobody can reach this instance's own memories and tables any more
            throw;
        }
    }

    /// <summary>
    /// Instantiates as the constructor does, without blocking the caller on the start function:
    /// a module with one instantiates where a <see cref="CallQueue"/> would run a call (the
    /// calling thread when it may run guest code, else a guest thread); one without instantiates
    /// at once.
    /// </summary>
    /// <param name="cancellationToken">Cancels the instantiation while it waits for a thread; the start function itself stops by <see cref="InstanceOptions.StartOptions"/>.</param>
    /// <exception cref="LinkException">As the constructor.</exception>
    /// <exception cref="ResourceLimitException">As the constructor.</exception>
    /// <exception cref="TrapException">As the constructor.</exception>
    public static ValueTask<Instance> CreateAsync(Module module, IReadOnlyList<Extern> imports, InstanceOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module.Definition.StartFunction is null)
        {
            try
            {
                return new ValueTask<Instance>(new Instance(module, imports, options));
            }
            catch (Exception e)
            {
                return ValueTask.FromException<Instance>(e);
            }
        }
        return new CallQueue().RunAsync(static s => new Instance(s.module, s.imports, s.options), (module, imports, options), cancellationToken);
    }

    public Module Module { get; }

    /// <summary>
    /// The queue that runs this instance's calls one at a time without blocking the caller, on the
    /// caller's thread when it may run guest code, else on a guest thread (made on first use). Every caller must go through it for the one-call-at-a-time
    /// rule to hold.
    /// </summary>
    public CallQueue Calls => calls ?? LazyInitializer.EnsureInitialized(ref calls);

    /// <summary>The exports by name, in no particular order.</summary>
    public IReadOnlyDictionary<string, Extern> Exports => exports;

    /// <summary>The export named <paramref name="name"/>, or null.</summary>
    public Extern? GetExport(string name) => exports.GetValueOrDefault(name);

    public Function? GetFunction(string name) => GetExport(name) as Function;

    public Memory? GetMemory(string name) => GetExport(name) as Memory;

    public Table? GetTable(string name) => GetExport(name) as Table;

    public Global? GetGlobal(string name) => GetExport(name) as Global;

    /// <summary>
    /// The allocator for host blocks in memory 0 (<see cref="MemoryAllocator.Malloc"/>,
    /// <see cref="MemoryAllocator.Free"/>): the guest's exported allocator, else the host heap of
    /// <see cref="InstanceOptions.HostHeapBytes"/>; null when there is neither, or no memory.
    /// </summary>
    public MemoryAllocator? Allocator { get; private set; }

    /// <summary>
    /// Frees the memories this instance defined (imported ones belong to their owner) and returns
    /// them and its tables to the limiter. Calls made afterwards trap on any memory access; the
    /// instance must not be running a call. Instances importing one of its memories (a shared
    /// memory's provider) must be disposed first.
    /// </summary>
    public void Dispose()
    {
        // Entries are null when instantiation failed part-way.
        for (var i = importedMemoryCount; i < Memories.Length; i++) Memories[i]?.Dispose();
        for (var i = importedTableCount; i < Tables.Length; i++) Tables[i]?.Release();
    }

    // The guest's allocator (configured, or detected in the order of InstanceOptions.Allocator's
    // remarks), else a host heap appended to memory 0 (WAMR's app heap), else none.
    private MemoryAllocator? CreateAllocator(InstanceOptions options)
    {
        if (Memory0 is not { } memory) return null;
        if (options.Allocator is { } configured) return GuestAllocator.TryCreate(this, memory, configured, required: true);
        foreach (var exports in (ReadOnlySpan<AllocatorExports>)[AllocatorExports.Libc, AllocatorExports.AssemblyScript, AllocatorExports.CanonicalAbi])
        {
            if (GuestAllocator.TryCreate(this, memory, exports, required: false) is { } found) return found;
        }
        if (options.HostHeapBytes == 0) return null;
        var pages = options.HostHeapBytes > memory.MaximumBytes
            ? ulong.MaxValue // cannot fit; also keeps the rounding below from overflowing
            : (options.HostHeapBytes + memory.PageSize - 1) >> memory.Type.PageSizeLog2;
        var oldPages = memory.Grow(pages);
        if (oldPages < 0)
        {
            throw new ResourceLimitException(
                $"a host heap of {options.HostHeapBytes} bytes does not fit in memory 0 ({memory.ByteLength} of at most {memory.MaximumBytes} bytes, or refused by the limiter)",
                "host heap");
        }
        return new HostHeap(memory, (ulong)oldPages << memory.Type.PageSizeLog2, pages << memory.Type.PageSizeLog2);
    }

    // Spec 4.5.4 steps 14-15: active element segments run table.init then elem.drop, active data
    // segments memory.init then data.drop, in order; declarative element segments are dropped.
    // A trap here leaves earlier writes in place (visible through imported tables and memories).
    private void InitializeSegments(ModuleDefinition definition)
    {
        for (var i = 0; i < definition.Elements.Length; i++)
        {
            var segment = definition.Elements[i];
            if (segment.Mode == SegmentMode.Active)
            {
                var offset = (uint)ConstantEvaluator.Evaluate(segment.Offset!, ValueType.I32, this).AsI32();
                var items = ElementSegments[i];
                Instructions.InitializeTable(Tables[segment.TableIndex], items, offset, 0, (uint)items.Length);
            }
            if (segment.Mode != SegmentMode.Passive) ElementSegments[i] = [];
        }
        for (var i = 0; i < definition.Data.Length; i++)
        {
            var segment = definition.Data[i];
            if (segment.Mode != SegmentMode.Active) continue;
            var offset = ConstantEvaluator.Evaluate(segment.Offset!, ValueType.I32, this).AsI32();
            Instructions.MemoryInit(offset, 0, segment.Data.Length, this, i);
            DataSegments[i] = ReadOnlyMemory<byte>.Empty;
        }
    }
}

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
    private readonly int importedMemoryCount;

    /// <summary>
    /// Instantiates <paramref name="module"/> with <paramref name="imports"/> given in the order of
    /// the module's imports (a <see cref="Linker"/> resolves them by name).
    /// </summary>
    /// <exception cref="LinkException">An import is missing or of the wrong kind or type.</exception>
    /// <exception cref="TrapException">A segment is out of bounds or the start function trapped.</exception>
    public Instance(Module module, IReadOnlyList<Extern> imports)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(imports);
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
        for (var i = 0; i < definition.Functions.Length; i++, f++)
        {
            Functions[f] = new Function(definition.Types[definition.Functions[i]], module.Code.EntryPoints[i], this, module.Code, callback: null, this, (uint)f);
        }
        foreach (var tableType in definition.Tables) Tables[t++] = new Table(tableType, options: module.Options);
        foreach (var memoryType in definition.Memories) Memories[m++] = new Memory(memoryType, module.Options);
        Memory0 = Memories.Length > 0 ? Memories[0] : null;
        importedMemoryCount = definition.ImportedMemoryCount;
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

        exports = new Dictionary<string, Extern>(definition.Exports.Length, StringComparer.Ordinal);
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

        try
        {
            InitializeSegments(definition);
            if (definition.StartFunction is { } start) Functions[start].Invoke([], []);
        }
        catch (TrapException)
        {
            Dispose(); // nobody can reach this instance's own memories any more
            throw;
        }
    }

    public Module Module { get; }

    /// <summary>The exports by name, in no particular order.</summary>
    public IReadOnlyDictionary<string, Extern> Exports => exports;

    /// <summary>The export named <paramref name="name"/>, or null.</summary>
    public Extern? GetExport(string name) => exports.GetValueOrDefault(name);

    public Function? GetFunction(string name) => GetExport(name) as Function;

    public Memory? GetMemory(string name) => GetExport(name) as Memory;

    public Table? GetTable(string name) => GetExport(name) as Table;

    public Global? GetGlobal(string name) => GetExport(name) as Global;

    /// <summary>
    /// Frees the memories this instance defined (imported ones belong to their owner). Calls made
    /// afterwards trap on any memory access; the instance must not be running a call.
    /// </summary>
    public void Dispose()
    {
        for (var i = importedMemoryCount; i < Memories.Length; i++) Memories[i].Dispose();
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

namespace Sandbox.Engine;

// The decoded form of a module (Spec 2.5), produced by Binary.ModuleReader and checked by
// Validation.Validator before anything is compiled. Immutable once decoded.

/// <summary>An import: module name, field name and what is imported.</summary>
public sealed record Import(string Module, string Name, ExternalKind Kind)
{
    /// <summary>For a function import: the index into <see cref="ModuleDefinition.Types"/>.</summary>
    public uint TypeIndex { get; init; }

    public TableType? Table { get; init; }

    public MemoryType? Memory { get; init; }

    public GlobalType? Global { get; init; }

    /// <summary>Where the import's entry starts in the module binary, for error messages (0 when built in code).</summary>
    public int Offset { get; init; }
}

/// <summary>An export: its name, its kind and the index in that kind's index space.</summary>
public sealed record Export(string Name, ExternalKind Kind, uint Index)
{
    /// <summary>Where the export's entry starts in the module binary, for error messages (0 when built in code).</summary>
    public int Offset { get; init; }
}

/// <summary>
/// A constant expression (Spec 3.3.10) as its raw bytes, without the final <c>end</c>, and where
/// it starts in the module binary. The validator checks it is constant and of the right type.
/// </summary>
public sealed record ConstantExpression(ReadOnlyMemory<byte> Code, int Offset);

/// <summary>A global defined by the module.</summary>
public sealed record GlobalDefinition(GlobalType Type, ConstantExpression Init);

/// <summary>Element segment modes (Spec 2.5.7).</summary>
public enum SegmentMode
{
    Active,
    Passive,
    Declarative,
}

/// <summary>
/// An element segment. Its items are constant expressions (each <c>ref.func i</c>,
/// <c>ref.null t</c> or <c>global.get</c>); the function-index encodings are turned into
/// <c>ref.func</c> expressions by the decoder so there is one form.
/// </summary>
public sealed record ElementSegment(SegmentMode Mode, ValueType ElementType, ConstantExpression[] Items)
{
    /// <summary>For an active segment: the table index.</summary>
    public uint TableIndex { get; init; }

    /// <summary>For an active segment: the offset expression.</summary>
    public ConstantExpression? Offset { get; init; }
}

/// <summary>A data segment (Spec 2.5.8).</summary>
public sealed record DataSegment(SegmentMode Mode, ReadOnlyMemory<byte> Data)
{
    /// <summary>For an active segment: the memory index.</summary>
    public uint MemoryIndex { get; init; }

    /// <summary>For an active segment: the offset expression.</summary>
    public ConstantExpression? Offset { get; init; }
}

/// <summary>A run of locals of one type in a function body.</summary>
public readonly record struct LocalRun(uint Count, ValueType Type);

/// <summary>
/// A function body from the code section: its local declarations and its instructions as raw
/// bytes (including the final <c>end</c>), with <see cref="CodeOffset"/> the offset of the first
/// instruction in the module binary, so errors can name byte offsets.
/// </summary>
public sealed record FunctionBody(LocalRun[] Locals, ReadOnlyMemory<byte> Code, int CodeOffset)
{
    /// <summary>The most operands on the stack at once, found by validation (0 before it): the compiler sizes frames by it.</summary>
    internal int MaxOperandDepth { get; set; }

    /// <summary>Where a large body may be split, found by validation (null for a small body; cleared once planned): see Compilation.FunctionSplitter.</summary>
    internal int[]? Cuts { get; set; }

    /// <summary>The body's size in the binary, its local declarations included (<see cref="EngineLimits.MaxFunctionBodyBytes"/>).</summary>
    public int EncodedSize { get; init; }
}

/// <summary>Names from the custom <c>name</c> section (for backtraces); any part may be missing.</summary>
public sealed class NameSection
{
    public string? ModuleName { get; init; }

    /// <summary>Function index (imports included) to name.</summary>
    public IReadOnlyDictionary<uint, string> FunctionNames { get; init; } = new Dictionary<uint, string>();

    /// <summary>Function index to (local index to name).</summary>
    public IReadOnlyDictionary<uint, IReadOnlyDictionary<uint, string>> LocalNames { get; init; } =
        new Dictionary<uint, IReadOnlyDictionary<uint, string>>();
}

/// <summary>A custom section other than <c>name</c>, kept as bytes.</summary>
public sealed record CustomSection(string Name, ReadOnlyMemory<byte> Data);

/// <summary>
/// Everything a module binary declares (Spec 2.5). Index spaces put imports first: function
/// index i &lt; ImportedFunctionCount is an import, otherwise it is
/// <c>Functions[i - ImportedFunctionCount]</c>; likewise tables, memories and globals.
/// </summary>
public sealed class ModuleDefinition
{
    public FuncType[] Types { get; init; } = [];

    public Import[] Imports { get; init; } = [];

    /// <summary>Type index of each function defined by the module (function section).</summary>
    public uint[] Functions { get; init; } = [];

    public TableType[] Tables { get; init; } = [];

    public MemoryType[] Memories { get; init; } = [];

    public GlobalDefinition[] Globals { get; init; } = [];

    public Export[] Exports { get; init; } = [];

    public uint? StartFunction { get; init; }

    public ElementSegment[] Elements { get; init; } = [];

    /// <summary>From the data count section (Spec 5.5.16), needed to validate memory.init and data.drop.</summary>
    public uint? DataCount { get; init; }

    /// <summary>Bodies of the defined functions, parallel to <see cref="Functions"/>.</summary>
    public FunctionBody[] Codes { get; init; } = [];

    public DataSegment[] Data { get; init; } = [];

    public NameSection? Names { get; init; }

    public CustomSection[] CustomSections { get; init; } = [];

    // Derived counts and lookups, computed once.
    private int? importedFunctionCount, importedTableCount, importedMemoryCount, importedGlobalCount;

    public int ImportedFunctionCount => importedFunctionCount ??= Imports.Count(i => i.Kind == ExternalKind.Function);

    public int ImportedTableCount => importedTableCount ??= Imports.Count(i => i.Kind == ExternalKind.Table);

    public int ImportedMemoryCount => importedMemoryCount ??= Imports.Count(i => i.Kind == ExternalKind.Memory);

    public int ImportedGlobalCount => importedGlobalCount ??= Imports.Count(i => i.Kind == ExternalKind.Global);

    public int TotalFunctionCount => ImportedFunctionCount + Functions.Length;

    public int TotalTableCount => ImportedTableCount + Tables.Length;

    public int TotalMemoryCount => ImportedMemoryCount + Memories.Length;

    public int TotalGlobalCount => ImportedGlobalCount + Globals.Length;

    private uint[]? importedFunctionTypes;

    /// <summary>The type of function <paramref name="functionIndex"/> in the function index space.</summary>
    public FuncType GetFunctionType(uint functionIndex)
    {
        if (functionIndex < ImportedFunctionCount)
        {
            // The imported functions' type indices, gathered once: scanning the imports on every
            // lookup made a module of 100,000 imported functions take a minute to compile.
            var types = importedFunctionTypes ??= Imports.Where(i => i.Kind == ExternalKind.Function).Select(i => i.TypeIndex).ToArray();
            return Types[types[functionIndex]];
        }
        return Types[Functions[functionIndex - (uint)ImportedFunctionCount]];
    }

    /// <summary>The type of every global in the global index space, imports first.</summary>
    public IEnumerable<GlobalType> GlobalTypes =>
        Imports.Where(i => i.Kind == ExternalKind.Global).Select(i => i.Global!).Concat(Globals.Select(g => g.Type));

    /// <summary>Every table type in the table index space, imports first.</summary>
    public IEnumerable<TableType> TableTypes =>
        Imports.Where(i => i.Kind == ExternalKind.Table).Select(i => i.Table!).Concat(Tables);

    /// <summary>Every memory type in the memory index space, imports first.</summary>
    public IEnumerable<MemoryType> MemoryTypes =>
        Imports.Where(i => i.Kind == ExternalKind.Memory).Select(i => i.Memory!).Concat(Memories);

    /// <summary>The function's name from the name section, or null.</summary>
    public string? GetFunctionName(uint functionIndex) =>
        Names?.FunctionNames.TryGetValue(functionIndex, out var name) == true ? name : null;
}

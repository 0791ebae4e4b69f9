namespace Sandbox.Engine.Binary.Internal;

/// <summary>The sections read so far, turned into an immutable <see cref="ModuleDefinition"/> at the end.</summary>
internal sealed class ModuleState(ReadOnlyMemory<byte> binary)
{
    public ReadOnlyMemory<byte> Binary { get; } = binary;

    public FuncType[] Types { get; set; } = [];

    public Import[] Imports { get; set; } = [];

    public uint[] Functions { get; set; } = [];

    public TableType[] Tables { get; set; } = [];

    public MemoryType[] Memories { get; set; } = [];

    public GlobalDefinition[] Globals { get; set; } = [];

    public Export[] Exports { get; set; } = [];

    public uint? StartFunction { get; set; }

    public ElementSegment[] Elements { get; set; } = [];

    public uint? DataCount { get; set; }

    public FunctionBody[] Codes { get; set; } = [];

    public DataSegment[] Data { get; set; } = [];

    public NameSection? Names { get; set; }

    public List<CustomSection> CustomSections { get; } = [];

    public ModuleDefinition ToModule() => new()
    {
        Types = Types,
        Imports = Imports,
        Functions = Functions,
        Tables = Tables,
        Memories = Memories,
        Globals = Globals,
        Exports = Exports,
        StartFunction = StartFunction,
        Elements = Elements,
        DataCount = DataCount,
        Codes = Codes,
        Data = Data,
        Names = Names,
        CustomSections = [.. CustomSections],
    };
}

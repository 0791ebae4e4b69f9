namespace Sandbox.Engine.Validation.Internal;

/// <summary>
/// The validation context C of Spec 3.1.1 for one module, with every index space flattened
/// (imports first) into arrays once, so instruction checks are array lookups.
/// </summary>
internal sealed class ModuleContext
{
    public ModuleContext(ModuleDefinition module)
    {
        Module = module;
        Types = module.Types;
        var functions = new List<FuncType?>(module.TotalFunctionCount);
        foreach (var import in module.Imports)
        {
            if (import.Kind == ExternalKind.Function) functions.Add(import.TypeIndex < Types.Length ? Types[import.TypeIndex] : null);
        }
        foreach (var typeIndex in module.Functions) functions.Add(typeIndex < Types.Length ? Types[typeIndex] : null);
        FunctionTypes = [.. functions];
        Globals = [.. module.GlobalTypes];
        Tables = [.. module.TableTypes];
        MemoryCount = module.TotalMemoryCount;
        ImportedGlobalCount = module.ImportedGlobalCount;
        ImportedFunctionCount = module.ImportedFunctionCount;
        DeclaredReferences = new bool[FunctionTypes.Length];
    }

    public ModuleDefinition Module { get; }

    public FuncType[] Types { get; }

    /// <summary>The type of each function (imports first); null where its type index is unknown (reported separately).</summary>
    public FuncType?[] FunctionTypes { get; }

    public GlobalType[] Globals { get; }

    public TableType[] Tables { get; }

    public int MemoryCount { get; }

    public int ImportedGlobalCount { get; }

    public int ImportedFunctionCount { get; }

    /// <summary>
    /// C.refs (Spec 3.4.10): functions named by <c>ref.func</c> outside function bodies (globals,
    /// element segments) or exported. Only these may be referenced by <c>ref.func</c> in code.
    /// </summary>
    public bool[] DeclaredReferences { get; }
}

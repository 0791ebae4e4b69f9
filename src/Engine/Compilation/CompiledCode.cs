namespace Sandbox.Engine.Compilation;

/// <summary>
/// A module's generated code: the collectible type holding one static method per defined
/// function, and their entry points. Holding this object keeps the code loaded.
/// </summary>
internal sealed class CompiledCode(Type type, nint[] entryPoints)
{
    public Type Type { get; } = type;

    /// <summary>Entry point of each defined function, parallel to <see cref="ModuleDefinition.Functions"/>.</summary>
    public nint[] EntryPoints { get; } = entryPoints;
}

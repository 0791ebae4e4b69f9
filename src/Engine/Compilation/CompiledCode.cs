namespace Sandbox.Engine.Compilation;

/// <summary>
/// A module's generated code: the collectible types holding its functions' methods, and their
/// entry points. Holding this object keeps the code loaded.
/// </summary>
internal sealed class CompiledCode(Type[] types, nint[] entryPoints)
{
    public Type[] Types { get; } = types;

    /// <summary>Entry point of each defined function, parallel to <see cref="ModuleDefinition.Functions"/>.</summary>
    public nint[] EntryPoints { get; } = entryPoints;
}

using Sandbox.Engine.Runtime;

namespace Sandbox.Engine.Compilation;

/// <summary>
/// A module's generated code: the collectible types holding its functions' methods, and their
/// entry points. Holding this object keeps the code loaded.
/// </summary>
internal sealed class CompiledCode(Type[] types, nint[] entryPoints, TypeId[] typeIds, long bytes)
{
    /// <summary>The memory the code holds, estimated (<see cref="CodeSize"/>).</summary>
    public long Bytes { get; } = bytes;

    /// <summary>
    /// The canonical id of each type in the type section: the code embeds their values, so it
    /// holds them (<see cref="TypeRegistry"/>).
    /// </summary>
    public TypeId[] TypeIds { get; } = typeIds;

    public Type[] Types { get; } = types;

    /// <summary>Entry point of each defined function, parallel to <see cref="ModuleDefinition.Functions"/>.</summary>
    public nint[] EntryPoints { get; } = entryPoints;

    /// <summary>
    /// The background JIT of this code (<see cref="BackgroundJit"/>): true once every method is
    /// compiled to machine code, false if the job was dropped; null when there was none.
    /// </summary>
    public Task<bool>? Background { get; set; }
}

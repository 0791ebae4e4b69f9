namespace Sandbox.Engine.Runtime;

/// <summary>A canonical function type id (<see cref="TypeRegistry"/>); holding it keeps the id assigned.</summary>
internal sealed class TypeId(long value)
{
    public long Value { get; } = value;
}

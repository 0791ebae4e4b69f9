using System.Collections.Concurrent;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// Canonical function type ids (Spec 4.4.8 call_indirect compares types structurally): equal
/// types get equal ids process-wide, so generated code compares one int and can embed the id.
/// </summary>
internal static class TypeRegistry
{
    private static readonly ConcurrentDictionary<FuncType, int> Ids = new();
    private static int next;

    public static int GetId(FuncType type) => Ids.TryGetValue(type, out var id) ? id : Ids.GetOrAdd(type, _ => Interlocked.Increment(ref next));
}

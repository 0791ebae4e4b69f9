using Sandbox.Engine;

namespace Sandbox.Server.Internal;

/// <summary>
/// What an instance's memories and tables cost the tenant's budget. The engine shows an instance's
/// exports and the imports it was given, not its private state, so a defined memory or table that
/// is not exported is counted at its declared minimum (it can only grow through the guest's own
/// <c>memory.grow</c>, which the limiter hook of issue 4 will meter).
/// </summary>
internal static class Footprint
{
    /// <summary>Bytes per table element: one reference.</summary>
    public static readonly ulong BytesPerTableElement = (ulong)IntPtr.Size;

    /// <summary>Bytes a fresh instance allocates for its own memories and tables, at their minimum.</summary>
    public static ulong DefinedBytes(ModuleDefinition definition)
    {
        ulong total = 0;
        foreach (var memory in definition.Memories) total = Add(total, MinimumBytes(memory));
        foreach (var table in definition.Tables) total = Add(total, table.Limits.Minimum * BytesPerTableElement);
        return total;
    }

    /// <summary>The memories of an instance by index: imported ones from <paramref name="imports"/>, defined ones where exported.</summary>
    public static Memory?[] MemoriesOf(ModuleDefinition definition, Instance instance, IReadOnlyList<Extern> imports)
    {
        var memories = new Memory?[definition.TotalMemoryCount];
        var next = 0;
        foreach (var import in imports)
        {
            if (import is Memory memory) memories[next++] = memory;
        }
        foreach (var export in definition.Exports)
        {
            if (export.Kind == ExternalKind.Memory) memories[export.Index] ??= instance.GetMemory(export.Name);
        }
        return memories;
    }

    /// <summary>Bytes of an instance's own memories and tables now (imports excluded).</summary>
    public static ulong ChargedBytes(ModuleDefinition definition, Instance instance, Memory?[] memories)
    {
        ulong total = 0;
        var imported = definition.ImportedMemoryCount;
        for (var i = imported; i < memories.Length; i++)
        {
            total = Add(total, memories[i]?.ByteLength ?? MinimumBytes(definition.Memories[i - imported]));
        }
        var exportedTables = new HashSet<uint>();
        foreach (var export in definition.Exports)
        {
            if (export.Kind == ExternalKind.Table && export.Index >= definition.ImportedTableCount && exportedTables.Add(export.Index))
            {
                total = Add(total, (instance.GetTable(export.Name)?.Size ?? 0) * BytesPerTableElement);
            }
        }
        for (var i = 0; i < definition.Tables.Length; i++)
        {
            if (!exportedTables.Contains((uint)(definition.ImportedTableCount + i)))
            {
                total = Add(total, definition.Tables[i].Limits.Minimum * BytesPerTableElement);
            }
        }
        return total;
    }

    private static ulong MinimumBytes(MemoryType type) =>
        type.Limits.Minimum > (ulong.MaxValue >> type.PageSizeLog2) ? ulong.MaxValue : type.Limits.Minimum << type.PageSizeLog2;

    private static ulong Add(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;
}

namespace Sandbox.Engine.Runtime;

/// <summary>
/// Canonical function type ids (Spec 4.4.8 call_indirect compares types structurally): equal
/// types get equal ids process-wide, so generated code compares one integer and can embed the id.
/// </summary>
/// <remarks>
/// <para>An id lives as long as something uses it: each module's code and each function hold the
/// <see cref="TypeId"/> of their types, and the registry only a weak reference. Once the modules
/// and functions of a structure are gone, its entry is dead, and the registry drops dead entries
/// whenever it has doubled since it last did (<see cref="Acquire"/>), so it stays within twice
/// the structures in use (issue 13 item 5: it grew with every module ever compiled, failed ones
/// too).</para>
/// <para>Ids are never reused (64-bit, counting up): a structure registered again after its
/// entry died gets a new id, and no live code or function can hold the old one, so no two
/// structures ever compare equal.</para>
/// </remarks>
internal static class TypeRegistry
{
    private const int MinimumSweepCount = 1024;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<FuncType, WeakReference<TypeId>> Ids = [];
    private static long next;
    private static int sweepAt = MinimumSweepCount;

    /// <summary>Entries, live or dead (for tests).</summary>
    internal static int Count
    {
        get
        {
            lock (Gate) return Ids.Count;
        }
    }

    /// <summary>The id of <paramref name="type"/>'s structure; hold it as long as code or a function uses its value.</summary>
    public static TypeId Acquire(FuncType type)
    {
        lock (Gate)
        {
            if (Ids.TryGetValue(type, out var weak) && weak.TryGetTarget(out var id)) return id;
            id = new TypeId(++next);
            if (weak is not null)
            {
                weak.SetTarget(id);
                return id;
            }
            if (Ids.Count >= sweepAt)
            {
                Sweep();
                sweepAt = Math.Max(MinimumSweepCount, Ids.Count * 2);
            }
            Ids[type] = new WeakReference<TypeId>(id);
            return id;
        }
    }

    /// <summary>Drops the entries no module or function holds any more (for tests; <see cref="Acquire"/> does it as it grows).</summary>
    internal static void Sweep()
    {
        lock (Gate)
        {
            List<FuncType>? dead = null;
            foreach (var (type, weak) in Ids)
            {
                if (!weak.TryGetTarget(out _)) (dead ??= []).Add(type);
            }
            if (dead is null) return;
            foreach (var type in dead) Ids.Remove(type);
        }
    }
}

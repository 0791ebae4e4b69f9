using System.Diagnostics.CodeAnalysis;

namespace Sandbox.Engine;

/// <summary>
/// A hook consulted before a memory or table is created or grown, able to refuse (as wasmtime's
/// <c>ResourceLimiter</c>). Creation counts as growth from zero, so instantiation consults it for
/// every memory and table the module defines; imported ones were counted when their owner made them,
/// which is why a shared memory is charged once however many instances import it.
/// </summary>
/// <remarks>
/// A refused <c>memory.grow</c> or <c>table.grow</c> returns -1 to the guest (Spec 4.4.7.4 lets growth
/// fail) and leaves the contents intact; a refused creation fails instantiation with a
/// <see cref="ResourceLimitException"/> naming the limit. Implementations must be thread-safe:
/// instances on several threads, and the threads of a shared memory, consult one limiter at once.
/// <see cref="ByteBudgetLimiter"/> is a ready-made per-tenant byte budget.
/// </remarks>
public interface IResourceLimiter
{
    /// <summary>
    /// Asked before <paramref name="memory"/> goes from <paramref name="currentBytes"/> to
    /// <paramref name="desiredBytes"/> (from 0 when it is being created). Returns false with the
    /// refusing limit described in <paramref name="refusedLimit"/> (e.g. "tenant memory budget of 64 MiB").
    /// </summary>
    bool TryGrowMemory(Memory memory, ulong currentBytes, ulong desiredBytes, [NotNullWhen(false)] out string? refusedLimit);

    /// <summary>As <see cref="TryGrowMemory"/>, for a table counted in elements.</summary>
    bool TryGrowTable(Table table, ulong currentElements, ulong desiredElements, [NotNullWhen(false)] out string? refusedLimit);

    /// <summary>
    /// <paramref name="memory"/> was disposed: its <paramref name="bytes"/> (everything granted so
    /// far) return to whatever budget they came from. Called once per memory.
    /// </summary>
    void MemoryReleased(Memory memory, ulong bytes);

    /// <summary>The instance owning <paramref name="table"/> was disposed: its <paramref name="elements"/> are returned.</summary>
    void TableReleased(Table table, ulong elements);
}

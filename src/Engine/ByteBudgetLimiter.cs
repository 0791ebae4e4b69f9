using System.Diagnostics.CodeAnalysis;

namespace Sandbox.Engine;

/// <summary>
/// One byte budget drawn on by every memory and table created under it: the natural per-tenant
/// limit. Memories count their committed bytes, tables <see cref="BytesPerTableElement"/> per
/// element (one reference each). Thread-safe.
/// </summary>
/// <remarks>
/// Pass the same limiter to all of a tenant's instantiations (<see cref="InstanceOptions.Limiter"/>).
/// A memory is charged to the limiter of the instance that defines it, once, however many instances
/// import it; the charge returns when that instance (or the memory) is disposed.
/// </remarks>
public sealed class ByteBudgetLimiter : IResourceLimiter
{
    /// <summary>What a table element costs: one object reference.</summary>
    public static readonly ulong BytesPerTableElement = (ulong)IntPtr.Size;

    private long used;

    /// <param name="budgetBytes">The most bytes all memories and tables together may hold.</param>
    /// <param name="name">How refusals name this limit; default "memory budget of N bytes".</param>
    public ByteBudgetLimiter(ulong budgetBytes, string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(budgetBytes, (ulong)long.MaxValue);
        BudgetBytes = budgetBytes;
        Name = name ?? $"memory budget of {budgetBytes} bytes";
    }

    /// <summary>The budget in bytes.</summary>
    public ulong BudgetBytes { get; }

    /// <summary>How refusals name this limit.</summary>
    public string Name { get; }

    /// <summary>Bytes currently granted to live memories and tables.</summary>
    public ulong UsedBytes => (ulong)Interlocked.Read(ref used);

    /// <summary>Bytes still available.</summary>
    public ulong AvailableBytes => BudgetBytes - Math.Min(BudgetBytes, UsedBytes);

    /// <inheritdoc/>
    public bool TryGrowMemory(Memory memory, ulong currentBytes, ulong desiredBytes, [NotNullWhen(false)] out string? refusedLimit) =>
        TryCharge(desiredBytes - Math.Min(desiredBytes, currentBytes), out refusedLimit);

    /// <inheritdoc/>
    public bool TryGrowTable(Table table, ulong currentElements, ulong desiredElements, [NotNullWhen(false)] out string? refusedLimit)
    {
        var delta = desiredElements - Math.Min(desiredElements, currentElements);
        var bytes = delta > ulong.MaxValue / BytesPerTableElement ? ulong.MaxValue : delta * BytesPerTableElement;
        return TryCharge(bytes, out refusedLimit);
    }

    /// <inheritdoc/>
    public void MemoryReleased(Memory memory, ulong bytes) => Interlocked.Add(ref used, -(long)bytes);

    /// <inheritdoc/>
    public void TableReleased(Table table, ulong elements) => Interlocked.Add(ref used, -(long)(elements * BytesPerTableElement));

    /// <summary>
    /// Charges <paramref name="bytes"/> that are neither a memory nor a table (a WASI
    /// <see cref="Wasi.MemoryFileSystem"/>'s files) to the same budget; false, charging nothing,
    /// when they do not fit. Return them with <see cref="ReleaseBytes"/>.
    /// </summary>
    public bool TryChargeBytes(ulong bytes, [NotNullWhen(false)] out string? refusedLimit) => TryCharge(bytes, out refusedLimit);

    /// <summary>Returns <paramref name="bytes"/> charged by <see cref="TryChargeBytes"/>.</summary>
    public void ReleaseBytes(ulong bytes) => Interlocked.Add(ref used, -(long)bytes);

    /// <summary>
    /// A charge callback for <see cref="Wasi.MemoryFileSystem"/>: positive deltas are charged
    /// (false when refused), negative ones released.
    /// </summary>
    public bool ChargeDelta(long delta) => delta >= 0 ? TryCharge((ulong)delta, out _) : Release(-delta);

    private bool Release(long bytes)
    {
        ReleaseBytes((ulong)bytes);
        return true;
    }

    // Compare-and-swap so two threads growing at once cannot both pass a check that only one fits.
    private bool TryCharge(ulong bytes, [NotNullWhen(false)] out string? refusedLimit)
    {
        while (true)
        {
            var current = Interlocked.Read(ref used);
            if (bytes > BudgetBytes - (ulong)current)
            {
                refusedLimit = Name;
                return false;
            }
            if (Interlocked.CompareExchange(ref used, current + (long)bytes, current) == current)
            {
                refusedLimit = null;
                return true;
            }
        }
    }
}

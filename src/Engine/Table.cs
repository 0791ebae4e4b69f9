namespace Sandbox.Engine;

/// <summary>
/// A table of references (Spec 4.2.7): <see cref="Function"/>s or nulls for <c>funcref</c>,
/// host objects or nulls for <c>externref</c>.
/// </summary>
/// <remarks>Not safe for concurrent growth from several threads.</remarks>
public sealed class Table : Extern
{
    // Read by generated code; replaced on growth, its length is always the table's size.
    internal object?[] Elements;

    private readonly uint maximum;
    private IResourceLimiter? limiter;
    private bool released;

    /// <summary>Creates a table of <paramref name="type"/>'s minimum size filled with <paramref name="initial"/>.</summary>
    /// <param name="type">Element type and limits.</param>
    /// <param name="initial">The value of every element.</param>
    /// <param name="options">Engine limits (the largest table).</param>
    /// <param name="limiter">Consulted for the minimum size now and before every growth.</param>
    /// <exception cref="ArgumentException">The minimum exceeds the maximum or the engine's limit.</exception>
    /// <exception cref="ResourceLimitException">The limiter refused the minimum size.</exception>
    public Table(TableType type, object? initial = null, EngineOptions? options = null, IResourceLimiter? limiter = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        options ??= EngineOptions.Default;
        Type = type;
        maximum = (uint)Math.Min(type.Limits.Maximum ?? uint.MaxValue, options.MaxTableElements);
        if (type.Limits.Minimum > maximum)
        {
            throw new ArgumentException($"table minimum of {type.Limits.Minimum} elements exceeds the limit of {maximum}", nameof(type));
        }
        CheckElement(initial);
        if (limiter is not null && !limiter.TryGrowTable(this, 0, type.Limits.Minimum, out var refused))
        {
            throw new ResourceLimitException($"a table of {type.Limits.Minimum} elements exceeds the {refused}", refused);
        }
        this.limiter = limiter;
        Elements = new object?[type.Limits.Minimum];
        if (initial is not null) Array.Fill(Elements, initial);
    }

    public override ExternalKind Kind => ExternalKind.Table;

    /// <summary>The type the table was created with (its current size may exceed the minimum).</summary>
    public TableType Type { get; }

    public ValueType ElementType => Type.ElementType;

    /// <summary>Current number of elements.</summary>
    public uint Size => (uint)Elements.Length;

    /// <summary>An element: a <see cref="Function"/> (funcref), a host object (externref) or null.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is past the size.</exception>
    public object? this[uint index]
    {
        get => index < Size ? Elements[index] : throw new ArgumentOutOfRangeException(nameof(index));
        set
        {
            if (index >= Size) throw new ArgumentOutOfRangeException(nameof(index));
            CheckElement(value);
            Elements[index] = value;
        }
    }

    /// <summary>
    /// Grows by <paramref name="delta"/> elements set to <paramref name="initial"/> (Spec 4.4.6.5
    /// table.grow): returns the old size, or -1 (table untouched) past the maximum or when the
    /// limiter refuses.
    /// </summary>
    public long Grow(uint delta, object? initial = null)
    {
        CheckElement(initial);
        var old = Elements;
        if (delta > maximum - (uint)old.Length) return -1;
        if (delta == 0) return old.Length;
        if (released) return -1;
        if (limiter is not null && !limiter.TryGrowTable(this, (ulong)old.Length, (ulong)old.Length + delta, out _)) return -1;
        object?[] grown;
        try
        {
            grown = new object?[old.Length + delta];
        }
        catch (OutOfMemoryException)
        {
            // Spec 4.4.6.4: growth may fail for any reason; the guest sees -1, not a host error.
            limiter?.TableReleased(this, (ulong)delta);
            return -1;
        }
        old.CopyTo(grown, 0);
        if (initial is not null) Array.Fill(grown, initial, old.Length, (int)delta);
        Elements = grown;
        return old.Length;
    }

    /// <summary>
    /// Returns the table's elements to its limiter when the owning instance is disposed; later
    /// growth fails, so nothing is held that the budget does not count.
    /// </summary>
    internal void Release()
    {
        if (released) return;
        released = true;
        limiter?.TableReleased(this, (ulong)Elements.Length);
        limiter = null;
    }

    private void CheckElement(object? value)
    {
        if (value is not null && Type.ElementType == ValueType.FuncRef && value is not Function)
        {
            throw new ArgumentException("a funcref table holds only Function objects or null", nameof(value));
        }
    }
}

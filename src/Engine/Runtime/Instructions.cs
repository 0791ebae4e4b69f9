namespace Sandbox.Engine.Runtime;

/// <summary>
/// Instructions generated code calls rather than inlines: memory growth, bulk memory and every
/// table operation (Spec 4.4.6, 4.4.7). Arguments come in Wasm operand order, then the objects
/// the instruction names. All bounds checks are overflow-safe: 32-bit operands widened to 64 bits.
/// </summary>
internal static unsafe class Instructions
{
    // Spec 4.4.7.4 memory.grow
    public static int MemoryGrow(int deltaPages, Memory memory) => memory.GrowFromGuest(deltaPages);

    // Spec 4.4.7.5 memory.fill: trap if d + n is past the end, before writing anything.
    public static void MemoryFill(int destination, int value, int count, Memory memory)
    {
        var d = (uint)destination;
        var n = (uint)count;
        if ((ulong)d + n > memory.Length) throw new TrapException(TrapCode.MemoryOutOfBounds);
        new Span<byte>(memory.Base + d, (int)n).Fill((byte)value);
    }

    // Spec 4.4.7.6 memory.copy: overlapping ranges copy as if through a temporary buffer.
    public static void MemoryCopy(int destination, int source, int count, Memory memory)
    {
        var d = (uint)destination;
        var s = (uint)source;
        var n = (uint)count;
        var length = memory.Length;
        if ((ulong)d + n > length || (ulong)s + n > length) throw new TrapException(TrapCode.MemoryOutOfBounds);
        Buffer.MemoryCopy(memory.Base + s, memory.Base + d, n, n);
    }

    // Spec 4.4.7.7 memory.init
    public static void MemoryInit(int destination, int source, int count, Instance instance, int segment)
    {
        var data = instance.DataSegments[segment].Span;
        var memory = instance.Memory0!;
        var d = (uint)destination;
        var s = (uint)source;
        var n = (uint)count;
        if ((ulong)s + n > (ulong)data.Length || (ulong)d + n > memory.Length) throw new TrapException(TrapCode.MemoryOutOfBounds);
        data.Slice((int)s, (int)n).CopyTo(new Span<byte>(memory.Base + d, (int)n));
    }

    // Spec 4.4.7.8 data.drop
    public static void DataDrop(Instance instance, int segment) => instance.DataSegments[segment] = ReadOnlyMemory<byte>.Empty;

    // Spec 4.4.6.1 table.get
    public static object? TableGet(int index, Table table)
    {
        var elements = table.Elements;
        if ((uint)index >= (uint)elements.Length) throw new TrapException(TrapCode.TableOutOfBounds);
        return elements[index];
    }

    // Spec 4.4.6.2 table.set
    public static void TableSet(int index, object? value, Table table)
    {
        var elements = table.Elements;
        if ((uint)index >= (uint)elements.Length) throw new TrapException(TrapCode.TableOutOfBounds);
        elements[index] = value;
    }

    // Spec 4.4.6.4 table.grow: -1 when the table cannot grow.
    public static int TableGrow(object? initial, int delta, Table table) => (int)table.Grow((uint)delta, initial);

    // Spec 4.4.6.5 table.fill
    public static void TableFill(int index, object? value, int count, Table table)
    {
        var elements = table.Elements;
        var i = (uint)index;
        var n = (uint)count;
        if ((ulong)i + n > (ulong)elements.Length) throw new TrapException(TrapCode.TableOutOfBounds);
        elements.AsSpan((int)i, (int)n).Fill(value);
    }

    // Spec 4.4.6.6 table.copy
    public static void TableCopy(int destination, int source, int count, Table target, Table origin)
    {
        var d = (uint)destination;
        var s = (uint)source;
        var n = (uint)count;
        if ((ulong)s + n > origin.Size || (ulong)d + n > target.Size) throw new TrapException(TrapCode.TableOutOfBounds);
        Array.Copy(origin.Elements, s, target.Elements, d, n);
    }

    // Spec 4.4.6.7 table.init
    public static void TableInit(int destination, int source, int count, Instance instance, int tableIndex, int segment) =>
        InitializeTable(instance.Tables[tableIndex], instance.ElementSegments[segment], (uint)destination, (uint)source, (uint)count);

    public static void InitializeTable(Table table, object?[] items, uint d, uint s, uint n)
    {
        if ((ulong)s + n > (ulong)items.Length || (ulong)d + n > table.Size) throw new TrapException(TrapCode.TableOutOfBounds);
        Array.Copy(items, s, table.Elements, d, n);
    }

    // Spec 4.4.6.8 elem.drop
    public static void ElemDrop(Instance instance, int segment) => instance.ElementSegments[segment] = [];

    /// <summary>The function pointer behind call_indirect's checks (Spec 4.4.8.7), for tables other than the cached one.</summary>
    public static Function IndirectTarget(int index, Table table, long typeId)
    {
        var elements = table.Elements;
        if ((uint)index >= (uint)elements.Length) throw Traps.UndefinedElement();
        if (elements[index] is not Function function) throw new TrapException(TrapCode.IndirectCallToNull);
        if (function.TypeId != typeId) throw new TrapException(TrapCode.IndirectCallTypeMismatch);
        return function;
    }
}

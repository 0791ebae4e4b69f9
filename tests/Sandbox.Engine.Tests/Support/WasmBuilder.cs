namespace Sandbox.Engine.Tests.Support;

/// <summary>
/// Writes module binaries in code (Spec 5.5), for modules too large or too regular to write as
/// text: a million functions, 50,000 locals, 60,000 operands. Sections come out in the order the
/// spec requires; only what the hostile-module tests need is supported.
/// </summary>
public sealed class WasmBuilder
{
    private readonly List<byte[]> types = [];
    private readonly List<byte[]> imports = [];
    private readonly List<uint> functions = [];
    private readonly List<byte[]> bodies = [];
    private readonly List<byte[]> tables = [];
    private readonly List<byte[]> globals = [];
    private readonly List<byte[]> exports = [];
    private readonly List<byte[]> elements = [];
    private uint importedFunctions;

    /// <summary>Value type codes (Spec 5.3.1-5.3.3).</summary>
    public const byte I32 = 0x7F, I64 = 0x7E, F32 = 0x7D, F64 = 0x7C, FuncRef = 0x70, ExternRef = 0x6F;

    public uint TypeCount => (uint)types.Count;

    /// <summary>Adds a function type; returns its index.</summary>
    public uint AddType(byte[] parameters, byte[] results)
    {
        var type = new List<byte> { 0x60 };
        type.AddRange(U32((uint)parameters.Length));
        type.AddRange(parameters);
        type.AddRange(U32((uint)results.Length));
        type.AddRange(results);
        types.Add([.. type]);
        return (uint)types.Count - 1;
    }

    /// <summary>Imports a function (before any function is defined); returns its function index.</summary>
    public uint ImportFunction(string module, string name, uint type)
    {
        if (functions.Count > 0) throw new InvalidOperationException("import functions before defining any");
        imports.Add([.. Name(module), .. Name(name), 0x00, .. U32(type)]);
        return importedFunctions++;
    }

    /// <summary>Defines a function with runs of locals and its instructions (without the final <c>end</c>); returns its index.</summary>
    public uint AddFunction(uint type, (uint Count, byte Type)[] locals, byte[] code)
    {
        var body = new List<byte>();
        body.AddRange(U32((uint)locals.Length));
        foreach (var (count, valueType) in locals)
        {
            body.AddRange(U32(count));
            body.Add(valueType);
        }
        body.AddRange(code);
        body.Add(0x0B);
        functions.Add(type);
        bodies.Add([.. U32((uint)body.Count), .. body]);
        return importedFunctions + (uint)functions.Count - 1;
    }

    /// <summary>A funcref table of <paramref name="minimum"/> elements (and an optional maximum); returns its index.</summary>
    public uint AddTable(uint minimum, uint? maximum = null)
    {
        tables.Add(maximum is { } max ? [FuncRef, 0x01, .. U32(minimum), .. U32(max)] : [FuncRef, 0x00, .. U32(minimum)]);
        return (uint)tables.Count - 1;
    }

    /// <summary>An active segment writing <paramref name="functionIndices"/> into table 0 at <paramref name="offset"/>.</summary>
    public void AddElements(int offset, params uint[] functionIndices)
    {
        var segment = new List<byte> { 0x00, 0x41 };
        segment.AddRange(S64(offset));
        segment.Add(0x0B);
        segment.AddRange(U32((uint)functionIndices.Length));
        foreach (var index in functionIndices) segment.AddRange(U32(index));
        elements.Add([.. segment]);
    }

    /// <summary>An immutable i32 global initialised to <paramref name="value"/>; returns its index.</summary>
    public uint AddGlobal(int value)
    {
        globals.Add([I32, 0x00, 0x41, .. S64(value), 0x0B]);
        return (uint)globals.Count - 1;
    }

    public void ExportFunction(string name, uint index) => exports.Add([.. Name(name), 0x00, .. U32(index)]);

    /// <summary>The start function's index (Spec 5.5.11), or none.</summary>
    public uint? Start { get; set; }

    public byte[] Build()
    {
        var module = new List<byte> { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 };
        Section(module, 1, types);
        Section(module, 2, imports);
        Section(module, 3, functions.ConvertAll(U32));
        Section(module, 4, tables);
        Section(module, 6, globals);
        Section(module, 7, exports);
        if (Start is uint start) module.AddRange([0x08, .. U32((uint)U32(start).Length), .. U32(start)]);
        Section(module, 9, elements);
        Section(module, 10, bodies);
        return [.. module];
    }

    private static void Section(List<byte> module, byte id, List<byte[]> items)
    {
        if (items.Count == 0) return;
        long size = U32((uint)items.Count).Length;
        foreach (var item in items) size += item.Length;
        module.Add(id);
        module.AddRange(U32((uint)size));
        module.AddRange(U32((uint)items.Count));
        foreach (var item in items) module.AddRange(item);
    }

    private static byte[] Name(string name)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(name);
        return [.. U32((uint)bytes.Length), .. bytes];
    }

    /// <summary>Unsigned LEB128 (Spec 5.2.2).</summary>
    public static byte[] U32(uint value)
    {
        var bytes = new List<byte>(5);
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return [.. bytes];
    }

    /// <summary>Signed LEB128 (Spec 5.2.2).</summary>
    public static byte[] S64(long value)
    {
        var bytes = new List<byte>(10);
        while (true)
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            var done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            bytes.Add(done ? b : (byte)(b | 0x80));
            if (done) return [.. bytes];
        }
    }
}

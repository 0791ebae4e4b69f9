namespace Sandbox.Engine.Binary.Internal;

/// <summary>
/// Reads the custom <c>name</c> section (Spec 7.4.1) for backtraces. It is only a hint: the
/// spec says a malformed custom section must not make the module malformed, so any decoding
/// failure here yields no names rather than an error.
/// </summary>
internal static class NameSectionReader
{
    private const byte ModuleNameId = 0;
    private const byte FunctionNamesId = 1;
    private const byte LocalNamesId = 2;

    /// <summary>The names, or null when the section is malformed.</summary>
    public static NameSection? TryRead(ReadOnlySpan<byte> data, int offset)
    {
        try
        {
            return Read(new WasmReader(data, offset));
        }
        catch (DecodeException)
        {
            // Deliberately ignored: see the class remarks (Spec 7.4: custom sections are
            // "ignored by the WebAssembly semantics"; a bad one must not fail the module).
            return null;
        }
    }

    private static NameSection Read(WasmReader r)
    {
        string? moduleName = null;
        var functionNames = new Dictionary<uint, string>();
        var localNames = new Dictionary<uint, IReadOnlyDictionary<uint, string>>();
        while (!r.IsAtEnd)
        {
            var id = r.ReadByte();
            var size = r.ReadLength();
            var sub = r.Slice(size);
            switch (id)
            {
                case ModuleNameId:
                    moduleName = sub.ReadName();
                    break;
                case FunctionNamesId:
                    ReadNameMap(ref sub, functionNames);
                    break;
                case LocalNamesId:
                    var count = sub.ReadU32();
                    for (var i = 0u; i < count; i++)
                    {
                        var function = sub.ReadU32();
                        var locals = new Dictionary<uint, string>();
                        ReadNameMap(ref sub, locals);
                        localNames[function] = locals;
                    }
                    break;
                default:
                    // Other subsections (labels, types, … from the extended-name-section
                    // proposal) are skipped.
                    break;
            }
        }
        return new NameSection { ModuleName = moduleName, FunctionNames = functionNames, LocalNames = localNames };
    }

    private static void ReadNameMap(ref WasmReader r, Dictionary<uint, string> names)
    {
        var count = r.ReadU32();
        for (var i = 0u; i < count; i++)
        {
            var index = r.ReadU32();
            names[index] = r.ReadName();
        }
    }
}

namespace Sandbox.Fuzz.Tests.Reduction;

/// <summary>
/// Just enough of the binary format (spec 5.5.2 sections, 5.5.10 exports) to drop one export from
/// a module, written apart from the engine's decoder so the reducer does not lean on the code
/// under test.
/// </summary>
public static class ExportSection
{
    private const byte ExportSectionId = 7;
    private const int PreambleSize = 8; // magic + version

    public sealed record Entry(string Name, byte Kind, int Start, int End);

    /// <summary>The module's exports with their byte ranges, or an empty list without an export section.</summary>
    public static List<Entry> Read(byte[] wasm, out int sectionStart, out int sectionEnd)
    {
        var entries = new List<Entry>();
        sectionStart = sectionEnd = -1;
        var at = PreambleSize;
        while (at < wasm.Length)
        {
            var start = at;
            var id = wasm[at++];
            var size = (int)ReadU32(wasm, ref at);
            var contentStart = at;
            if (id == ExportSectionId)
            {
                sectionStart = start;
                sectionEnd = contentStart + size;
                var count = ReadU32(wasm, ref at);
                for (var i = 0; i < count; i++)
                {
                    var entryStart = at;
                    var nameLength = (int)ReadU32(wasm, ref at);
                    var name = System.Text.Encoding.UTF8.GetString(wasm, at, nameLength);
                    at += nameLength;
                    var kind = wasm[at++];
                    ReadU32(wasm, ref at);
                    entries.Add(new Entry(name, kind, entryStart, at));
                }
                return entries;
            }
            at = contentStart + size;
        }
        return entries;
    }

    /// <summary>The module with export <paramref name="index"/> removed (section size and count rewritten).</summary>
    public static byte[] Without(byte[] wasm, int index)
    {
        var entries = Read(wasm, out var sectionStart, out var sectionEnd);
        var content = new List<byte>();
        WriteU32(content, (uint)(entries.Count - 1));
        for (var i = 0; i < entries.Count; i++)
        {
            if (i != index) content.AddRange(wasm.AsSpan(entries[i].Start, entries[i].End - entries[i].Start).ToArray());
        }
        var result = new List<byte>(wasm.AsSpan(0, sectionStart).ToArray()) { ExportSectionId };
        WriteU32(result, (uint)content.Count);
        result.AddRange(content);
        result.AddRange(wasm.AsSpan(sectionEnd).ToArray());
        return result.ToArray();
    }

    private static uint ReadU32(byte[] bytes, ref int at)
    {
        uint value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[at++];
            value |= (uint)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
    }

    private static void WriteU32(List<byte> bytes, uint value)
    {
        do
        {
            var b = (byte)(value & 0x7f);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
    }
}

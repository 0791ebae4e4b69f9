using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Sandbox.Fuzz.Tests.Execution;

/// <summary>
/// What one engine did with one module, as lines every runner writes the same way (the Node runner,
/// node/run.mjs, writes them too):
/// <code>
/// instantiate            | instantiate-trap KIND
/// call NAME              an export called with zero arguments (after hangLimitInitializer)
/// log TYPE:HEX           a fuzzing-support import called (bits, little-endian lanes for v128 as memory holds them)
/// return [TYPE:HEX ...]  the call returned these values
/// trap KIND              the call trapped (kinds: see <see cref="TrapKinds"/>)
/// skip                   this engine cannot make the call (V8: v128 in the signature from JS)
/// memory NAME SHA256     an exported memory's bytes at the end
/// </code>
/// The memory's bytes are kept beside the line (<see cref="Memories"/>), so that memories whose
/// hashes differ can be compared byte by byte under the NaN rule.
/// A call that exceeds its bound ends the trace with <see cref="TimedOut"/> set; such a case is
/// skipped, not compared.
/// </summary>
public sealed class Trace
{
    public List<string> Lines { get; } = [];

    public bool TimedOut { get; set; }

    /// <summary>Each exported memory's bytes at the end, by name.</summary>
    public Dictionary<string, byte[]> Memories { get; } = [];

    public void Add(string line) => Lines.Add(line);

    /// <summary>Adds an exported memory's line and keeps its bytes.</summary>
    public void AddMemory(string name, ReadOnlySpan<byte> bytes)
    {
        Memories[name] = bytes.ToArray();
        Lines.Add(MemoryLine(name, bytes));
    }

    public override string ToString() => string.Join('\n', Lines);

    public static string I32(uint bits) => $"i32:{bits:x8}";

    public static string I64(ulong bits) => $"i64:{bits:x16}";

    public static string F32(uint bits) => $"f32:{bits:x8}";

    public static string F64(ulong bits) => $"f64:{bits:x16}";

    /// <summary>v128 as the 16 bytes <c>v128.store</c> writes, in order.</summary>
    public static string V128(ReadOnlySpan<byte> bytes) => "v128:" + Convert.ToHexStringLower(bytes);

    /// <summary>References compare by nullness only: engines share no identity for them.</summary>
    public static string Reference(string type, bool isNull) => $"{type}:{(isNull ? "null" : "nonnull")}";

    public static string MemoryLine(string name, ReadOnlySpan<byte> bytes) => $"memory {name} {Convert.ToHexStringLower(SHA256.HashData(bytes))}";

    public static string V128FromHalves(ulong low, ulong high)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, low);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], high);
        return V128(bytes);
    }
}

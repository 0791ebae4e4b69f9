using System.Buffers.Binary;
using System.Globalization;
using Sandbox.Fuzz.Tests.Execution;

namespace Sandbox.Fuzz.Tests.Comparison;

/// <summary>
/// The comparison rules (docs/fuzzing.md, "Comparison rules"): traces must match line for line,
/// exactly, except where the spec leaves the result open.
/// <list type="bullet">
/// <item>NaN (spec 4.3.3, "NaN propagation"): an operator's NaN result may have any sign and any
/// payload with the quiet bit set (an arithmetic NaN), so two quiet NaNs of the same width match.
/// A signalling NaN can only come from a constant, a reinterpret, a load or a copy, which are
/// bit-exact, so a signalling NaN must match bit for bit.</item>
/// <item>Integers may hold a NaN's bits, through a reinterpret or a v128 lane extracted as
/// integer (seed 20271118: <c>i32x4.extract_lane</c> of an <c>f32x4.min</c> with a NaN lane), so
/// differing i32 or i64 values match when both are quiet NaNs of their width, against any engine:
/// integers cross JavaScript exactly. Wider than the spec for integers that are not NaNs' bits, as
/// for v128 lanes.</item>
/// <item>v128 values hold no lane shape: differing lanes match when they are such NaNs read as
/// f32x4, or else as f64x2.</item>
/// <item>Memory holds no types either: memories whose hashes differ match when every differing byte
/// lies in four bytes that are such NaNs read as an f32 on both sides, or in eight read as an f64
/// (at any offset: stores need no alignment), quiet on both sides against any engine. Wider than
/// the spec for integers stored with NaN patterns, as for v128 lanes.</item>
/// <item>Against V8, floats cross JavaScript as numbers (an f32 argument is widened to a double),
/// which may change a NaN's payload: against V8 any two NaNs of the same width match, and trap
/// kinds V8 reports alike compare as one (<see cref="TrapKinds.MatchV8"/>). On modules generated
/// without <c>--denan</c>, any two integers match against V8 (<see cref="Compare"/>).</item>
/// <item>V8 cannot call an export with v128 in its signature from JS; its trace says <c>skip</c>
/// there, and as that call's side effects are then missing, the comparison with V8 stops at the
/// first skip.</item>
/// </list>
/// </summary>
public static class TraceComparer
{
    /// <summary>The first difference, described, or null when the traces agree.</summary>
    /// <param name="integersMayHoldNaNs">Against V8 on a module generated without <c>--denan</c>:
    /// NaN bits then reach integers through reinterprets and in-guest memory hashes, where no rule
    /// can see them, and V8's scalar NaN results are not x86's (seed 20274408: V8's <c>f32.min</c>
    /// of a NaN stored and hashed). Any two i32 or i64 values then match; the lines' kinds, traps,
    /// floats and lengths are still compared, and Wasmtime, compared first, is still exact.</param>
    public static string? Compare(Trace expected, Trace actual, bool againstV8, bool integersMayHoldNaNs = false)
    {
        var lines = Math.Min(expected.Lines.Count, actual.Lines.Count);
        for (var i = 0; i < lines; i++)
        {
            if (againstV8 && (expected.Lines[i] == "skip" || actual.Lines[i] == "skip")) return null;
            if (!LinesMatch(expected.Lines[i], actual.Lines[i], againstV8, integersMayHoldNaNs) && !MemoryLinesMatch(expected, actual, i))
            {
                return $"line {i + 1}: expected '{expected.Lines[i]}', got '{actual.Lines[i]}'";
            }
        }
        if (expected.Lines.Count != actual.Lines.Count)
        {
            return $"length: expected {expected.Lines.Count} lines, got {actual.Lines.Count}" +
                (expected.Lines.Count > lines ? $"; next expected '{expected.Lines[lines]}'" : $"; next got '{actual.Lines[lines]}'");
        }
        return null;
    }

    /// <summary>Line <paramref name="index"/> of both traces is the same memory's, and its bytes
    /// match under the NaN rule although the hashes differ.</summary>
    private static bool MemoryLinesMatch(Trace expected, Trace actual, int index)
    {
        var left = expected.Lines[index].Split(' ');
        var right = actual.Lines[index].Split(' ');
        return left is ["memory", var name, _] && right is ["memory", var other, _] && name == other
            && expected.Memories.TryGetValue(name, out var leftBytes) && actual.Memories.TryGetValue(name, out var rightBytes)
            && MemoriesMatch(leftBytes, rightBytes);
    }

    /// <summary>
    /// Two memories' bytes that differ only in NaNs the rules let differ: every differing byte lies
    /// in four bytes that read as such an f32 NaN on both sides, or in eight as an f64 NaN. The
    /// windows are chosen greedily, each the one reaching furthest past the first uncovered byte,
    /// which covers every difference whenever any set of windows does. Both NaNs must be quiet, V8
    /// too: a store is bit-exact, and V8's memory never crosses JavaScript as a number.
    /// </summary>
    public static bool MemoriesMatch(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != right.Length) return false;
        var coveredTo = -1;
        for (var i = 0; i < left.Length; i++)
        {
            if (left[i] == right[i] || i <= coveredTo) continue;
            coveredTo = NaNWindowEnd(left, right, i);
            if (coveredTo < i) return false;
        }
        return true;
    }

    /// <summary>The last byte of the furthest-reaching f32 or f64 window holding byte <paramref name="at"/>
    /// that is a matching NaN on both sides, or -1.</summary>
    private static int NaNWindowEnd(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, int at)
    {
        var end = -1;
        foreach (var (width, fractionBits) in new[] { (8, 52), (4, 23) })
        {
            for (var start = Math.Max(0, at - width + 1); start <= at && start + width <= left.Length; start++)
            {
                if (start + width - 1 <= end) continue;
                var a = Read(left.Slice(start, width));
                var b = Read(right.Slice(start, width));
                if (BitsNaNsMatch(a, b, width * 8, fractionBits, againstV8: false)) end = start + width - 1;
            }
        }
        return end;

        static ulong Read(ReadOnlySpan<byte> bytes) => bytes.Length == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    public static bool LinesMatch(string expected, string actual, bool againstV8, bool integersMayHoldNaNs = false)
    {
        if (expected == actual) return true;
        var left = expected.Split(' ');
        var right = actual.Split(' ');
        if (left.Length != right.Length || left[0] != right[0]) return false;
        if (againstV8 && left[0] is "trap" or "instantiate-trap")
        {
            return TrapKinds.MatchV8(left[1], right[1]);
        }
        if (left[0] is not ("return" or "log")) return false;
        for (var i = 1; i < left.Length; i++)
        {
            if (left[i] == right[i] || NaNsMatch(left[i], right[i], againstV8)) continue;
            if (integersMayHoldNaNs && left[i][..4] == right[i][..4] && left[i][..4] is "i32:" or "i64:") continue;
            return false;
        }
        return true;
    }

    /// <summary>Two float tokens (<c>f32:HEX</c>, <c>f64:HEX</c>) that are NaNs the rules let
    /// differ, two integer tokens (<c>i32:HEX</c>, <c>i64:HEX</c>) that are both quiet NaNs' bits,
    /// or two v128 tokens whose differing lanes are such NaNs read as f32x4 or as f64x2.</summary>
    public static bool NaNsMatch(string left, string right, bool againstV8)
    {
        if (left.Length != right.Length || left[..4] != right[..4]) return false;
        if (left.StartsWith("v128:", StringComparison.Ordinal)) return LanesMatch(left[5..], right[5..], againstV8);
        return left[..4] switch
        {
            "f32:" => FloatNaNsMatch(left, right, fractionBits: 23, againstV8),
            "f64:" => FloatNaNsMatch(left, right, fractionBits: 52, againstV8),
            "i32:" => FloatNaNsMatch(left, right, fractionBits: 23, againstV8: false),
            "i64:" => FloatNaNsMatch(left, right, fractionBits: 52, againstV8: false),
            _ => false,
        };
    }

    /// <summary>The NaN rule for one IEEE width: both NaNs, and both quiet unless against V8.</summary>
    private static bool FloatNaNsMatch(string left, string right, int fractionBits, bool againstV8)
    {
        var a = ulong.Parse(left.AsSpan(4), NumberStyles.HexNumber);
        var b = ulong.Parse(right.AsSpan(4), NumberStyles.HexNumber);
        return BitsNaNsMatch(a, b, (left.Length - 4) * 4, fractionBits, againstV8);
    }

    /// <summary>The NaN rule on the bits of one IEEE width.</summary>
    private static bool BitsNaNsMatch(ulong a, ulong b, int width, int fractionBits, bool againstV8)
    {
        var fraction = (1UL << fractionBits) - 1;
        var exponent = ((1UL << (width - 1)) - 1) & ~fraction; // all bits between the sign and the fraction
        var quiet = 1UL << (fractionBits - 1);
        bool IsNaN(ulong x) => (x & exponent) == exponent && (x & fraction) != 0;
        if (!IsNaN(a) || !IsNaN(b)) return false;
        return againstV8 || ((a & quiet) != 0 && (b & quiet) != 0);
    }

    /// <summary>
    /// A v128 does not say its lane shape, so lanes that differ are allowed when they are matching
    /// NaNs read as four f32 lanes, or else as two f64 lanes (the bytes in <c>v128.store</c> order,
    /// little-endian lanes). This is wider than the spec for an integer-shaped vector whose lanes
    /// happen to hold NaN patterns; docs/fuzzing.md says so.
    /// </summary>
    private static bool LanesMatch(string left, string right, bool againstV8)
    {
        if (left.Length != 32 || right.Length != 32) return false;
        return Shape(8, "f32:") || Shape(16, "f64:");

        bool Shape(int digits, string prefix)
        {
            for (var lane = 0; lane < 32; lane += digits)
            {
                var a = left.Substring(lane, digits);
                var b = right.Substring(lane, digits);
                if (a != b && !NaNsMatch(prefix + LittleEndianToHex(a), prefix + LittleEndianToHex(b), againstV8)) return false;
            }
            return true;
        }
    }

    /// <summary>Hex digits of little-endian bytes as the big-endian number <c>f32:</c>/<c>f64:</c> tokens hold.</summary>
    private static string LittleEndianToHex(string bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i += 2)
        {
            chars[bytes.Length - 2 - i] = bytes[i];
            chars[bytes.Length - 1 - i] = bytes[i + 1];
        }
        return new string(chars);
    }
}

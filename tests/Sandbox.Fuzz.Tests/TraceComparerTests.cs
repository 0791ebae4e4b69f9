using Sandbox.Fuzz.Tests.Comparison;
using Sandbox.Fuzz.Tests.Execution;

namespace Sandbox.Fuzz.Tests;

/// <summary>The comparison rules, edge by edge: each rule must reject what it does not allow.</summary>
public sealed class TraceComparerTests
{
    [Theory]
    // Quiet NaNs of any sign and payload match (spec 4.3.3: an arithmetic NaN result).
    [InlineData("return f32:7fc00000", "return f32:ffc00000", false, true)]
    [InlineData("return f64:7ff8000000000001", "return f64:fff8000000000000", false, true)]
    // A signalling NaN is bit-exact (it only comes from constants, reinterpret, loads).
    [InlineData("return f32:7f800001", "return f32:7fc00001", false, false)]
    // A NaN against a number, an infinity, or the other width never matches.
    [InlineData("return f32:7fc00000", "return f32:7f800000", false, false)]
    [InlineData("log f64:7ff8000000000000", "log f64:0000000000000000", false, false)]
    // Integers holding quiet NaNs' bits match (seed 20271118: a NaN lane extracted as i32), against
    // V8 too; any other integer is exact, a signalling NaN's bits included.
    [InlineData("return i32:7fc00000", "return i32:ffc00000", false, true)]
    [InlineData("return i32:7fc00000", "return i32:ffc00000", true, true)]
    [InlineData("log i64:7ff8000000000000", "log i64:fff8000000000001", false, true)]
    [InlineData("return i32:7f800001", "return i32:7fc00001", true, false)]
    [InlineData("return i32:7fc00000", "return i32:7fc00001", false, true)]
    [InlineData("return i32:00000001", "return i32:00000002", false, false)]
    [InlineData("return i64:000000007fc00000", "return i64:00000000ffc00000", false, false)]
    // v128: quiet NaN lanes of either sign match as f32x4 (seed 1067: f32x4.min of a NaN).
    [InlineData("log v128:0000c0ff000000000000000019000000", "log v128:0000c07f000000000000000019000000", false, true)]
    // ... and as f64x2; but an f32x4 lane that is not a NaN must be exact.
    [InlineData("return v128:000000000000f8ff0000000000000000", "return v128:000000000000f87f0000000000000000", false, true)]
    [InlineData("return v128:0000c0ff000000000000000019000000", "return v128:0000c0ff000000000000000018000000", false, false)]
    [InlineData("return v128:0000807f000000000000000000000000", "return v128:0000c07f000000000000000000000000", false, false)]
    // Against V8 a widened f32 may lose its signalling bit.
    [InlineData("log f32:7f800001", "log f32:7fc00001", true, true)]
    public void LinesMatch_FloatTokens_FollowTheNaNRule(string expected, string actual, bool againstV8, bool match) =>
        Assert.Equal(match, TraceComparer.LinesMatch(expected, actual, againstV8));

    [Theory]
    [InlineData("trap indirect-call", "trap indirect-call-to-null", true, true)]
    [InlineData("trap indirect-call", "trap indirect-call-type-mismatch", true, true)]
    [InlineData("trap float-to-integer", "trap integer-overflow", true, true)]
    [InlineData("trap float-to-integer", "trap invalid-conversion-to-integer", true, true)]
    [InlineData("trap float-to-integer", "trap integer-divide-by-zero", true, false)]
    [InlineData("trap integer-overflow", "trap invalid-conversion-to-integer", true, false)]
    // Our engine against Wasmtime: kinds are exact.
    [InlineData("trap indirect-call-to-null", "trap indirect-call-type-mismatch", false, false)]
    [InlineData("trap unreachable", "return", false, false)]
    public void LinesMatch_TrapKinds_MatchAsTheEngineDistinguishes(string expected, string actual, bool againstV8, bool match) =>
        Assert.Equal(match, TraceComparer.LinesMatch(expected, actual, againstV8));

    [Theory]
    // Seed 20274408: V8's NaN from f32.min, stored and hashed in the guest, logged as an i32.
    [InlineData("log i32:bb6fd8aa", "log i32:26897176", true)]
    [InlineData("return i64:0000000000000001 f32:3f800000", "return i64:0000000000000002 f32:3f800000", true)]
    // Only integers: floats, kinds and traps are still compared.
    [InlineData("return i32:00000001 f32:3f800000", "return i32:00000002 f32:40000000", false)]
    [InlineData("log i32:00000001", "return i32:00000001", false)]
    [InlineData("trap unreachable", "trap integer-divide-by-zero", false)]
    [InlineData("log i32:00000001", "log i64:0000000000000001", false)]
    public void LinesMatch_AgainstV8WithNaNsKept_IntegersAreFree(string expected, string actual, bool match)
    {
        Assert.Equal(match, TraceComparer.LinesMatch(expected, actual, againstV8: true, integersMayHoldNaNs: true));
        // Without it (modules generated with --denan) integers are exact against V8 as ever.
        if (match) Assert.False(TraceComparer.LinesMatch(expected, actual, againstV8: true));
    }

    [Fact]
    public void Compare_V8Skip_StopsTheComparisonThere()
    {
        var v8 = Lines("instantiate", "call f", "skip", "call g", "return");
        var ours = Lines("instantiate", "call f", "log i32:00000001", "return v128:00000000000000000000000000000000", "call g");
        Assert.Null(TraceComparer.Compare(v8, ours, againstV8: true));
        Assert.NotNull(TraceComparer.Compare(v8, ours, againstV8: false));
    }

    [Fact]
    public void Compare_MissingLine_IsADivergence()
    {
        Assert.NotNull(TraceComparer.Compare(Lines("instantiate", "call f", "return"), Lines("instantiate", "call f"), againstV8: false));
    }

    [Theory]
    // Seed 20266494: f32x4.add of two NaN lanes stored at offset 1 (unaligned); x86 keeps either
    // operand's NaN, so Wasmtime and we may store different arithmetic NaNs.
    [InlineData("00 4c3df3ff 00", "00 0000ffff 00", true)]
    // An f64 NaN of either sign at an odd offset.
    [InlineData("aa 010000000000f8ff", "aa 000000000000f87f", true)]
    // Two neighbouring f32 NaNs that differ each.
    [InlineData("0000c07f 0000c0ff", "0100c0ff 0000c07f", true)]
    // A signalling NaN is bit-exact (stores are, in V8 too).
    [InlineData("0100807f", "0200807f", false)]
    // A byte outside every NaN window must be exact, even next to a matching NaN.
    [InlineData("0000c07f 01", "0000c0ff 02", false)]
    // A NaN on one side only.
    [InlineData("0000c07f", "0000803f", false)]
    public void MemoriesMatch_DifferingBytes_MustAllBeMatchingQuietNaNs(string expected, string actual, bool match) =>
        Assert.Equal(match, TraceComparer.MemoriesMatch(Bytes(expected), Bytes(actual)));

    [Fact]
    public void Compare_MemoriesWithDifferentHashes_ComparesTheirBytes()
    {
        static Trace WithMemory(string hex)
        {
            var trace = Lines("instantiate");
            trace.AddMemory("memory", Bytes(hex));
            return trace;
        }

        Assert.Null(TraceComparer.Compare(WithMemory("00 0000c07f"), WithMemory("00 0000c0ff"), againstV8: false));
        Assert.NotNull(TraceComparer.Compare(WithMemory("01 0000c07f"), WithMemory("00 0000c0ff"), againstV8: false));
        // Without the bytes (a hash alone) a differing memory is a divergence.
        Assert.NotNull(TraceComparer.Compare(Lines("memory memory aa"), Lines("memory memory bb"), againstV8: false));
    }

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    private static Trace Lines(params string[] lines)
    {
        var trace = new Trace();
        foreach (var line in lines) trace.Add(line);
        return trace;
    }
}

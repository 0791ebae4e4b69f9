using Sandbox.Fuzz.Tests.Comparison;
using Sandbox.Fuzz.Tests.Execution;
using Sandbox.Fuzz.Tests.Generation;
using Sandbox.Fuzz.Tests.Mutation;
using Sandbox.Fuzz.Tests.Support;

namespace Sandbox.Fuzz.Tests;

/// <summary>Every fuzz finding, kept: the module is regenerated from its seed (binaryen 108) or
/// built from the finding's bytes here, never copied from ../shared.</summary>
public sealed class RegressionTests
{
    /// <summary>Seeds 20 and 27 (first run): V8 reports a float-to-int truncation out of range as
    /// "float unrepresentable in integer range" where the spec, Wasmtime and we say integer
    /// overflow. A comparison-rule finding (TrapKinds.FloatToInteger), not an engine bug.</summary>
    [FuzzFact]
    public void Seed20_V8TruncationMessage_AgreesAsFloatToInteger()
    {
        foreach (var result in AssertAgree(20, 27)) Assert.Contains("trap " + TrapKinds.FloatToInteger, result.V8!.Lines);
    }

    /// <summary>Seed 812 (the first run with every function split, FUZZ_SPLIT=all, seeds 12-1023;
    /// it diverges unsplit too): <c>if (i32.rotr x 31)</c> was taken for x = 0. .NET 10's x64 JIT
    /// branched on the zero flag after <c>ror</c>, which does not set it (dotnet/runtime#129288);
    /// a rotate's result is now or-ed with an opaque zero. Minimised from 1,866 to 473 bytes.</summary>
    [FuzzFact]
    public void Seed812_RotateResultTestedForZero_Agrees() => AssertAgree(denan: false, 812);

    /// <summary>Seeds 1067 and 1920 (the first 10-minute run, seeds 1000-2230): <c>f32x4.min</c>
    /// of a NaN gives 0xffc00000 in Wasmtime (x86's default NaN) and 0x7fc00000 in ours, both
    /// arithmetic NaNs the spec allows; <c>--denan</c> in binaryen 108 leaves v128 alone. Fixed in
    /// the comparison (TraceComparer's v128 lane rule), not an engine bug. Minimised by
    /// ModuleReducer from 3,862 to 331 bytes.</summary>
    [FuzzFact]
    public void Seed1067_F32x4NaNSign_AgreesUnderTheLaneNaNRule()
    {
        AssertAgree(1067, 1920);
    }

    /// <summary>Seeds 20262930 and 20263782 (the first one-hour run, seeds from 20261202, no
    /// --denan): <c>f32x4.extract_lane</c> of a vector RyuJIT saw as constant returned a quieted
    /// signalling NaN (0xffb77608 became 0xfff77608) where Wasmtime keeps every bit, as the spec
    /// says. An engine bug, fixed in Runtime.Simd.F32x4ExtractLane; minimised by ModuleReducer from
    /// 2,914 to 176 and 3,654 to 112 bytes (SimdTests keeps the minimised shapes).</summary>
    [FuzzFact]
    public void Seed20262930_ExtractLaneOfConstantSignallingNan_AgreesWithWasmtime()
    {
        AssertAgree(denan: false, 20262930, 20263782);
    }

    /// <summary>Seed 20265730 (the same run): f32.sub of a signalling NaN and a local never set
    /// returned the NaN unquieted (0xff95503a; Wasmtime 0xffd5503a): RyuJIT folded x - 0 with the
    /// local's initial zero. An engine bug, fixed in FunctionCompiler.EmitOpaqueFloatZeros;
    /// minimised from 2,712 to 462 bytes (NumericTests keeps the shape).</summary>
    [FuzzFact]
    public void Seed20265730_SubtractingANeverSetLocal_AgreesWithWasmtime()
    {
        AssertAgree(denan: false, 20265730);
    }

    /// <summary>Seed 20266961 (the third one-hour run, seeds from 20261204): <c>f32.reinterpret_i32</c>
    /// of an <c>i32.load16_u</c> gave the 32 bits at the address (0x9a725a8a; Wasmtime 0x00005a8a):
    /// in Release RyuJIT folded the bit cast of a narrow load into a float load. An engine bug,
    /// fixed (the reinterpret goes through Numerics.F32FromBits); minimised from 1,652 to 579
    /// bytes (NumericTests keeps the shape, through a local too).</summary>
    [FuzzFact]
    public void Seed20266961_ReinterpretOfANarrowLoad_AgreesWithWasmtime()
    {
        AssertAgree(20266961);
    }

    /// <summary>Seed 20266494 (the second one-hour run, seeds from 20261203): <c>f32x4.add</c> of
    /// two NaN lanes, stored unaligned with <c>v128.store offset=1</c>. x86's addps keeps its first
    /// operand's NaN and RyuJIT may commute the operands, so Wasmtime and we store different
    /// arithmetic NaNs, as the spec allows; binaryen 108's --denan leaves v128 alone. Not an engine
    /// bug: the memory comparison now reads differing bytes under the NaN rule (TraceComparer's
    /// memory rule); minimised from 2,418 to 378 bytes.</summary>
    [FuzzFact]
    public void Seed20266494_F32x4AddOfNaNsStoredToMemory_AgreesUnderTheMemoryNaNRule()
    {
        AssertAgree(denan: false, 20266494);
    }

    /// <summary>Seed 20271118 (the fifth one-hour run, seeds from 20261206, no --denan, every
    /// function split): <c>i32x4.extract_lane</c> of an <c>f32x4.min</c> with a NaN lane returned
    /// 0xffc00000 in Wasmtime (x86's default NaN) and 0x7fc00000 in ours: both arithmetic NaNs
    /// the spec allows, read as an integer. Not an engine bug: the comparison now lets integers
    /// that are both quiet NaNs' bits differ (TraceComparer's integer rule).</summary>
    [FuzzFact]
    public void Seed20271118_F32x4MinOfNaNExtractedAsI32_AgreesUnderTheIntegerNaNRule()
    {
        AssertAgree(denan: false, split: true, 20271118);
    }

    /// <summary>Seed 20274408 (the sixth one-hour run, seeds from 20261207, no --denan):
    /// <c>f32.min</c> of 2^32 and a quiet NaN (-nan:0x7ffffc), stored to memory, which binaryen's
    /// hash function then reads byte by byte and logs as an i32: V8's NaN differs from ours and
    /// Wasmtime's (which agree exactly), so the hashes do. Any arithmetic NaN is allowed, and no
    /// rule can see a NaN inside a hash: against V8, integers are free on such seeds (TraceComparer's
    /// integersMayHoldNaNs). Minimised from 1,785 to 551 bytes.</summary>
    [FuzzFact]
    public void Seed20274408_V8NaNHashedInTheGuest_AgreesWithWasmtimeExactly()
    {
        var result = AssertAgree(denan: false, 20274408).Single();

        Assert.Null(TraceComparer.Compare(result.Wasmtime!, result.Ours!, againstV8: false));
    }

    /// <summary>Mutation seed 12 (first run): a memory with limits flag 0x04 (memory64), which
    /// Wasmtime 50 accepts with no way to turn it off and we reject as 2.0 does.</summary>
    [Fact]
    public void Memory64LimitsFlag_WasmtimeAccepts_IsAKnownDifference()
    {
        // \0asm, version 1; memory section (5), 3 bytes: 1 memory, flags 0x04 (i64 index), min 1.
        byte[] wasm = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x04, 0x01];
        AssertWeRejectWhatWasmtimeAccepts(wasm, "memory64");
    }

    /// <summary>Mutation case 6265205 of the first one-hour run (seed 20261202): memory.fill with its
    /// memory written 0x80 0x00, a two-byte LEB128 zero. Wasmtime 50 accepts it (wasmparser reads a
    /// memory index, as multi-memory does, even with multi-memory off); WebAssembly 2.0 and WABT
    /// say "zero byte expected", and so do we.</summary>
    [Fact]
    public void MemoryFillMultiByteZeroMemory_WasmtimeAccepts_IsAKnownDifference()
    {
        // \0asm 1; type ()->(); one function; memory min 1 max 1; export "test"; code: i32.const
        // 32768, i32.const 65280, i32.const 257, memory.fill with memory 0x80 0x00, end.
        byte[] wasm =
        [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
            0x05, 0x04, 0x01, 0x01, 0x01, 0x01, 0x07, 0x08, 0x01, 0x04, 0x74, 0x65, 0x73, 0x74, 0x00, 0x00,
            0x0a, 0x13, 0x01, 0x11, 0x00, 0x41, 0x80, 0x80, 0x02, 0x41, 0x80, 0xfe, 0x03, 0x41, 0x81, 0x02,
            0xfc, 0x0b, 0x80, 0x00, 0x0b,
        ];
        AssertWeRejectWhatWasmtimeAccepts(wasm, "zero byte expected");
    }

    /// <summary>Mutation case 7812343 of the third one-hour run (seed 20261204, from table.5.wasm):
    /// a funcref table with a minimum of 76,447,744 elements. Wasmtime 50 validates it; we refuse
    /// it at validation with the documented limit (the JS API's 10,000,000, docs/limits.md).</summary>
    [Fact]
    public void TableMinimumOverTheLimit_WasmtimeAccepts_IsAKnownDifference()
    {
        // \0asm 1; table section (4), 7 bytes: 1 table, funcref, limits flags 0x00, min 76,447,744.
        byte[] wasm = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x04, 0x07, 0x01, 0x70, 0x00, 0x80, 0x80, 0xba, 0x24];
        AssertWeRejectWhatWasmtimeAccepts(wasm, "a minimum of 76447744 elements exceeds the limit of 10000000");
    }

    /// <summary>Mutation case 13998337 (the sixth hour's mutation half, rerun alone, seed
    /// 20261207, from exports.47.wasm): a table of element type 0x63 0x70, (ref null func) in the
    /// typed function references encoding, which wasmparser reads as funcref even with that
    /// proposal off; 2.0, WABT ("table elem type must be a reference type") and we reject it.</summary>
    [Fact]
    public void TableOfRefNullFuncEncoding_WasmtimeAccepts_IsAKnownDifference()
    {
        // \0asm 1; table section (4), 5 bytes: 1 table, 0x63 0x70 (ref null func), limits flags 0x00, min 1.
        byte[] wasm = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x04, 0x05, 0x01, 0x63, 0x70, 0x00, 0x01];
        AssertWeRejectWhatWasmtimeAccepts(wasm, "malformed reference type");
    }

    /// <summary>Wasmtime validates the module, we refuse it with an error containing
    /// <paramref name="ourError"/>, and the mutation fuzzer counts that as a known difference.</summary>
    private static void AssertWeRejectWhatWasmtimeAccepts(byte[] wasm, string ourError)
    {
        using var wasmtime = new WasmtimeRunner();
        var wasmtimeError = wasmtime.Validate(wasm);
        Assert.Null(wasmtimeError);
        var ours = Assert.ThrowsAny<Sandbox.Engine.WasmException>(() => Sandbox.Engine.Module.FromBytes(wasm));
        Assert.Contains(ourError, ours.Message, StringComparison.Ordinal);
        Assert.Null(ValidityCase.Check(wasm, wasmtimeError, FuzzSettings.DecodeTimeout));
    }

    /// <summary>Regenerates each seed's module (with or without --denan, as when it was found) and asserts the
    /// three engines agree on it; returns the results.</summary>
    private static List<DifferentialCase.Result> AssertAgree(params int[] seeds) => AssertAgree(denan: true, seeds);

    private static List<DifferentialCase.Result> AssertAgree(bool denan, params int[] seeds) => AssertAgree(denan, split: false, seeds);

    /// <param name="split">Our engine splits every function as far as it goes, as the fuzzer does for <see cref="FuzzSettings.Split"/> seeds.</param>
    private static List<DifferentialCase.Result> AssertAgree(bool denan, bool split, params int[] seeds)
    {
        using var wasmtime = new WasmtimeRunner();
        var results = new List<DifferentialCase.Result>();
        foreach (var seed in seeds)
        {
            var result = DifferentialCase.Run(ModuleGenerator.Generate(seed, denan), wasmtime, split, nansKept: !denan);
            Assert.True(result.Outcome == DifferentialCase.Outcome.Agreed, $"seed {seed}: {result.Divergence}");
            results.Add(result);
        }
        return results;
    }
}

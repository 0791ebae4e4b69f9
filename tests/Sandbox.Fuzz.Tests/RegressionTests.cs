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
        using var wasmtime = new WasmtimeRunner();
        foreach (var seed in new[] { 20, 27 })
        {
            var result = DifferentialCase.Run(ModuleGenerator.Generate(seed), wasmtime);
            Assert.True(result.Outcome == DifferentialCase.Outcome.Agreed, $"seed {seed}: {result.Divergence}");
            Assert.Contains("trap " + TrapKinds.FloatToInteger, result.V8!.Lines);
        }
    }

    /// <summary>Mutation seed 12 (first run): a memory with limits flag 0x04 (memory64), which
    /// Wasmtime 50 accepts with no way to turn it off and we reject as 2.0 does.</summary>
    [Fact]
    public void Memory64LimitsFlag_WasmtimeAccepts_IsAKnownDifference()
    {
        // \0asm, version 1; memory section (5), 3 bytes: 1 memory, flags 0x04 (i64 index), min 1.
        byte[] wasm = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x04, 0x01];
        using var wasmtime = new WasmtimeRunner();
        var wasmtimeError = wasmtime.Validate(wasm);
        Assert.Null(wasmtimeError);
        Assert.Null(ValidityCase.Check(wasm, wasmtimeError, FuzzSettings.DecodeTimeout));
    }
}

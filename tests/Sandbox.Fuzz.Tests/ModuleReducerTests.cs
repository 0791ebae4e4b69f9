using Sandbox.Fuzz.Tests.Generation;
using Sandbox.Fuzz.Tests.Reduction;
using Sandbox.Fuzz.Tests.Support;

namespace Sandbox.Fuzz.Tests;

public sealed class ModuleReducerTests
{
    [FuzzFact]
    public void Reduce_FindingTiedToOneExport_KeepsOnlyThatExportAndTheHangLimit()
    {
        var wasm = ModuleGenerator.Generate(0);
        var exports = ExportSection.Read(wasm, out _, out _);
        var kept = exports.Find(e => e.Kind == 0 && e.Name != "hangLimitInitializer")!.Name;

        // Interesting while the module is valid to our engine and still exports `kept`.
        var reduced = ModuleReducer.Reduce(wasm, candidate =>
        {
            Sandbox.Engine.Module.FromBytes(candidate);
            return ExportSection.Read(candidate, out _, out _).Exists(e => e.Name == kept);
        });

        var names = ExportSection.Read(reduced, out _, out _).ConvertAll(e => e.Name);
        Assert.Contains(kept, names);
        Assert.True(names.Count <= 2, string.Join(", ", names));
        Assert.True(reduced.Length < wasm.Length, $"{reduced.Length} >= {wasm.Length}");
    }

    [Fact]
    public void Without_MiddleExport_RewritesCountAndSize()
    {
        // \0asm v1; type (func); 2 funcs; exports "a" "b" "c" (funcs 0,1,0); 2 empty bodies.
        byte[] wasm =
        [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
            0x03, 0x03, 0x02, 0x00, 0x00,
            0x07, 0x0d, 0x03, 0x01, 0x61, 0x00, 0x00, 0x01, 0x62, 0x00, 0x01, 0x01, 0x63, 0x00, 0x00,
            0x0a, 0x07, 0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b,
        ];
        var reduced = ExportSection.Without(wasm, 1);
        Assert.Equal(["a", "c"], ExportSection.Read(reduced, out _, out _).ConvertAll(e => e.Name));
        var module = Sandbox.Engine.Module.FromBytes(reduced);
        Assert.Equal(2, module.Exports.Count);
    }
}

namespace Sandbox.Engine.Tests.Spec;

public sealed class SpecScriptTests
{
    // A script in wast2json's shape, one command of each kind the parser must type.
    private const string Fixture = """
        {"source_filename": "fixture.wast",
         "commands": [
          {"type": "module", "line": 1, "name": "$M", "filename": "fixture.0.wasm"},
          {"type": "register", "line": 2, "name": "$M", "as": "m"},
          {"type": "assert_return", "line": 3, "action": {"type": "invoke", "module": "$M", "field": "f",
             "args": [{"type": "i32", "value": "4294967295"}, {"type": "externref", "value": "7"}]},
           "expected": [{"type": "f32", "value": "nan:canonical"}, {"type": "f64", "value": "9221120237041090560"},
                        {"type": "funcref", "value": "null"}, {"type": "externref"}]},
          {"type": "assert_return", "line": 4, "action": {"type": "get", "field": "g"},
           "expected": [{"type": "v128", "lane_type": "f32", "value": ["nan:arithmetic", "1065353216", "0", "0"]}]},
          {"type": "assert_trap", "line": 5, "action": {"type": "invoke", "field": "t", "args": []},
           "text": "integer divide by zero", "expected": [{"type": "i32"}]},
          {"type": "assert_malformed", "line": 6, "filename": "fixture.1.wat", "text": "unknown operator", "module_type": "text"},
          {"type": "assert_invalid", "line": 7, "filename": "fixture.2.wasm", "text": "type mismatch", "module_type": "binary"},
          {"type": "assert_return", "line": 8, "action": {"type": "invoke", "field": "e", "args": []},
           "expected": [{"type": "either", "values": [{"type": "i32", "value": "1"}, {"type": "i32", "value": "2"}]}]}
        ]}
        """;

    private static SpecScript LoadFixture()
    {
        var path = Path.Combine(Path.GetTempPath(), $"spec-fixture-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, Fixture);
        try
        {
            return SpecScript.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_Fixture_TypesEveryCommand()
    {
        var script = LoadFixture();

        Assert.Equal("fixture.wast", script.SourceFileName);
        Assert.Collection(
            script.Commands,
            c => Assert.Equal(new ModuleCommand(1, "fixture.0.wasm", "$M"), c),
            c => Assert.Equal(new RegisterCommand(2, "m", "$M"), c),
            c => Assert.IsType<AssertReturnCommand>(c),
            c => Assert.IsType<AssertReturnCommand>(c),
            c => Assert.Equal("integer divide by zero", Assert.IsType<AssertTrapCommand>(c).Text),
            c => Assert.Equal(SpecModuleType.Text, Assert.IsType<AssertMalformedCommand>(c).ModuleType),
            c => Assert.Equal(new AssertInvalidCommand(7, "fixture.2.wasm", "type mismatch", SpecModuleType.Binary), c),
            c => Assert.IsType<AssertReturnCommand>(c));
    }

    [Fact]
    public void Load_InvokeArguments_AreBitPatterns()
    {
        var action = ((AssertReturnCommand)LoadFixture().Commands[2]).Action;

        Assert.Equal(SpecActionKind.Invoke, action.Kind);
        Assert.Equal("$M", action.Module);
        Assert.Equal([SpecValue.I32(0xFFFF_FFFF), SpecValue.ExternRef(7)], action.Args);
    }

    [Fact]
    public void Matches_NanClassesAndReferences_ComparedByBits()
    {
        var expected = ((AssertReturnCommand)LoadFixture().Commands[2]).Expected;

        Assert.True(expected[0].Matches(SpecValue.F32(0xFFC0_0000)));   // -nan, canonical
        Assert.False(expected[0].Matches(SpecValue.F32(0x7FC0_0001)));  // payload bit set: arithmetic only
        Assert.True(expected[1].Matches(SpecValue.F64(0x7FF8_0000_0000_0000)));
        Assert.False(expected[1].Matches(SpecValue.F64(0xFFF8_0000_0000_0000))); // exact bits, sign differs
        Assert.True(expected[2].Matches(SpecValue.NullRef(ValueType.FuncRef)));
        Assert.False(expected[2].Matches(SpecValue.NullRef(ValueType.ExternRef)));
        Assert.True(expected[3].Matches(SpecValue.ExternRef(3)));
        Assert.False(expected[3].Matches(SpecValue.NullRef(ValueType.ExternRef)));
    }

    [Fact]
    public void Matches_VectorWithNanLane_ChecksEachLane()
    {
        var expected = ((AssertReturnCommand)LoadFixture().Commands[3]).Expected[0];
        UInt128 good = ((UInt128)0x3F80_0000 << 32) | 0x7FC0_0123; // lane 0 arithmetic NaN, lane 1 1.0f
        UInt128 bad = ((UInt128)0x3F80_0001 << 32) | 0x7FC0_0123;

        Assert.True(expected.Matches(SpecValue.V128(good)));
        Assert.False(expected.Matches(SpecValue.V128(bad)));
    }

    [Fact]
    public void Matches_Either_AcceptsAnyAlternative()
    {
        var expected = ((AssertReturnCommand)LoadFixture().Commands[7]).Expected[0];

        Assert.True(expected.Matches(SpecValue.I32(2)));
        Assert.False(expected.Matches(SpecValue.I32(3)));
    }

    [SpecTheory]
    [MemberData(nameof(SpecScripts.Core), MemberType = typeof(SpecScripts))]
    public void Load_EveryCoreScript_Parses(string name)
    {
        var script = SpecDirectory.Load("core", name);

        Assert.NotEmpty(script.Commands);
    }

    [SpecTheory]
    [MemberData(nameof(SpecScripts.CoreSimd), MemberType = typeof(SpecScripts))]
    public void Load_EverySimdScript_ParsesLanesAndNanPatterns(string name)
    {
        var script = SpecDirectory.Load("core", name);

        // Every vector given lane by lane must cover exactly 128 bits.
        var lanes = script.Commands.OfType<AssertReturnCommand>()
            .SelectMany(c => c.Expected)
            .SelectMany(e => e.Alternatives ?? [e])
            .Select(e => e.Lanes)
            .OfType<VectorLanes>();
        Assert.NotEmpty(script.Commands);
        Assert.All(lanes, l => Assert.Equal(128, l.Bits.Length * l.LaneBits));
    }
}

using Sandbox.Engine.Tests.Support;
using static Sandbox.Engine.Tests.Support.WasmBuilder;

namespace Sandbox.Engine.Tests.Hostile;

/// <summary>
/// Shapes an attacker would try (issue 13 "Tests"): huge branch tables, deep nesting, sections
/// that lie about their size. Each either compiles and runs or fails with the engine's own error.
/// </summary>
public class HostileModuleTests
{
    [Fact]
    public void Invoke_BrTableOfAMillionTargets_Runs()
    {
        // (block (br_table 0 0 ... 0 (local.get 0))) (i32.const 5), 1,000,000 targets.
        const int Targets = 1_000_000;
        var code = new List<byte>(Targets + 32) { 0x02, 0x40, 0x20, 0x00, 0x0E };
        code.AddRange(U32(Targets));
        for (var i = 0; i < Targets; i++) code.Add(0x00);
        code.AddRange([0x00, 0x0B, 0x41, 0x05]);

        var result = Instantiate([I32], [I32], [], [.. code]).Invoke(123_456);

        Assert.Equal(5, result[0].AsI32());
    }

    [Fact]
    public void Invoke_HalfAMillionNestedBlocks_Runs()
    {
        const int Depth = 500_000;
        var code = new List<byte>(Depth * 3 + 8);
        for (var i = 0; i < Depth; i++) code.AddRange([0x02, 0x40]);
        for (var i = 0; i < Depth; i++) code.Add(0x0B);
        code.AddRange([0x41, 0x09]);

        Assert.Equal(9, Instantiate([], [I32], [], [.. code]).Invoke()[0].AsI32());
    }

    [Fact]
    public void Invoke_NestedLoopsOfAThousandParameters_Runs()
    {
        // 70 nested (loop (param i32 x 1000) (result i32 x 1000)): each loop's values pass through
        // the branch slots, which frames share (else 70,000 IL locals, past the 65,535 allowed); the results are summed.
        const int Arity = 1000, Depth = 70;
        var builder = new WasmBuilder();
        var type = builder.AddType([], [I32]);
        var loop = builder.AddType(Enumerable.Repeat(I32, Arity).ToArray(), Enumerable.Repeat(I32, Arity).ToArray());
        var code = new List<byte>();
        for (var i = 0; i < Arity; i++) code.AddRange([0x41, 0x01]);
        for (var i = 0; i < Depth; i++) code.AddRange([0x03, .. S64(loop)]);
        for (var i = 0; i < Depth; i++) code.Add(0x0B);
        for (var i = 1; i < Arity; i++) code.Add(0x6A);
        builder.ExportFunction("f", builder.AddFunction(type, [], [.. code]));

        var result = new Linker().Instantiate(Module.FromBytes(builder.Build())).GetFunction("f")!.Invoke();

        Assert.Equal(Arity, result[0].AsI32());
    }

    [Fact]
    public void FromBytes_SectionLongerThanTheModule_FailsDecoding()
    {
        // Header, then a type section (id 1) claiming 0xFFFFFFF0 bytes, holding 1.
        byte[] binary = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0xF0, 0xFF, 0xFF, 0xFF, 0x0F, 0x00];

        Assert.Throws<DecodeException>(() => Module.FromBytes(binary));
    }

    [Fact]
    public void FromBytes_VectorCountPastItsSection_FailsDecodingWithoutAllocatingIt()
    {
        // A type section of 6 bytes whose vector claims 0xFFFFFFFF types, then one byte.
        byte[] binary = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x60];
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        Assert.Throws<DecodeException>(() => Module.FromBytes(binary));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 1 << 20);
    }

    [Fact]
    public void FromBytes_LocalsDeclaredPastU32_FailsDecoding()
    {
        // One function whose body declares two runs of 0xFFFFFFFF i32 locals.
        var builder = new WasmBuilder();
        builder.AddFunction(builder.AddType([], []), [(uint.MaxValue, I32), (uint.MaxValue, I32)], []);

        Assert.Throws<DecodeException>(() => Module.FromBytes(builder.Build()));
    }

    private static Function Instantiate(byte[] parameters, byte[] results, (uint, byte)[] locals, byte[] code)
    {
        var builder = new WasmBuilder();
        builder.ExportFunction("f", builder.AddFunction(builder.AddType(parameters, results), locals, code));
        return new Linker().Instantiate(Module.FromBytes(builder.Build())).GetFunction("f")!;
    }
}

using Sandbox.Engine.Tests.Support;
using static Sandbox.Engine.Tests.Support.WasmBuilder;

namespace Sandbox.Engine.Tests.Hostile;

/// <summary>
/// Issue 13 item 3: each of <see cref="EngineLimits"/> at N compiles and runs, and at N+1 fails
/// validation with a message naming the limit (never a CLR exception: INTERNAL at the server).
/// Modules are generated here; the largest (a million functions) takes some seconds.
/// </summary>
public class LimitTests
{
    [Fact]
    public void FromBytes_MaxFunctions_CompilesAndRuns()
    {
        var instance = Instantiate(Functions(EngineLimits.MaxFunctions));

        Assert.Equal(7, instance.GetFunction("first")!.Invoke()[0].AsI32());
        Assert.Equal(7, instance.GetFunction("last")!.Invoke()[0].AsI32());
    }

    [Fact]
    public void FromBytes_MoreThanMaxFunctions_FailsValidationNamingTheLimit() =>
        AssertRefused(Functions(EngineLimits.MaxFunctions + 1), "too many functions: 1000001 exceeds the limit of 1000000");

    [Fact]
    public void FromBytes_ManyFunctionsAcrossGeneratedTypes_CallEachOther()
    {
        // Function i calls i + 1 across the 32,768-method boundary of the generated types.
        const int Count = 70_000;
        var builder = new WasmBuilder();
        var type = builder.AddType([I32], [I32]);
        for (var i = 0u; i < Count - 1; i++) builder.AddFunction(type, [], [0x20, 0x00, 0x41, 0x01, 0x6A, 0x10, .. U32(i + 1)]);
        builder.AddFunction(type, [], [0x20, 0x00]);
        builder.ExportFunction("f", 32_760);

        var result = Instantiate(builder.Build()).GetFunction("f")!.Invoke(0);

        Assert.Equal(Count - 1 - 32_760, result[0].AsI32());
    }

    [Fact]
    public void FromBytes_MaxTypes_Compiles() => Assert.NotNull(Module.FromBytes(Types(EngineLimits.MaxTypes)));

    [Fact]
    public void FromBytes_MoreThanMaxTypes_FailsValidationNamingTheLimit() =>
        AssertRefused(Types(EngineLimits.MaxTypes + 1), "too many types: 1000001 exceeds the limit of 1000000");

    [Fact]
    public void FromBytes_BodyOfMaxBytes_CompilesAndRuns()
    {
        var instance = Instantiate(BodyOfSize(EngineLimits.MaxFunctionBodyBytes));

        Assert.Empty(instance.GetFunction("f")!.Invoke());
    }

    [Fact]
    public void FromBytes_BodyOfMoreThanMaxBytes_FailsValidationNamingTheLimit() =>
        AssertRefused(BodyOfSize(EngineLimits.MaxFunctionBodyBytes + 1), "function body too large: 7654322 bytes exceeds the limit of 7654321");

    [Fact]
    public void FromBytes_MaxLocals_CompilesAndRuns()
    {
        // One i64 parameter and 49,999 i64 locals; returns the parameter plus the last local (0).
        var result = Instantiate(Locals(EngineLimits.MaxLocals - 1)).GetFunction("f")!.Invoke(5L);

        Assert.Equal(5L, result[0].AsI64());
    }

    [Fact]
    public void FromBytes_MoreThanMaxLocals_FailsValidationNamingTheLimit() =>
        AssertRefused(Locals(EngineLimits.MaxLocals), "too many locals: 50001 exceeds the limit of 50000");

    [Fact]
    public void FromBytes_MaxParametersAndResults_CompilesAndRuns()
    {
        // f(p0..p999) = (p999, p998, ..., p0): all 1,000 arguments back as 1,000 results, reversed.
        var function = Instantiate(ParametersAndResults(EngineLimits.MaxParameters, EngineLimits.MaxResults)).GetFunction("f")!;
        var arguments = new Value[EngineLimits.MaxParameters];
        for (var i = 0; i < arguments.Length; i++) arguments[i] = Value.FromI32(i);

        var results = function.Invoke(arguments);

        Assert.Equal(EngineLimits.MaxResults, results.Length);
        Assert.Equal(999, results[0].AsI32());
        Assert.Equal(0, results[^1].AsI32());
    }

    [Fact]
    public void FromBytes_MoreThanMaxParameters_FailsValidationNamingTheLimit() =>
        AssertRefused(ParametersAndResults(EngineLimits.MaxParameters + 1, 0), "too many parameters: 1001 exceeds the limit of 1000");

    [Fact]
    public void FromBytes_MoreThanMaxResults_FailsValidationNamingTheLimit() =>
        AssertRefused(ParametersAndResults(0, EngineLimits.MaxResults + 1), "too many results: 1001 exceeds the limit of 1000");

    [Fact]
    public void Instantiate_TableOfMaxElements_Works()
    {
        var builder = new WasmBuilder();
        builder.AddTable(EngineLimits.MaxTableElements);

        var instance = Instantiate(builder.Build());

        Assert.NotNull(instance);
    }

    [Fact]
    public void FromBytes_TableOfMoreThanMaxElements_FailsValidationNamingTheLimit()
    {
        var builder = new WasmBuilder();
        builder.AddTable(EngineLimits.MaxTableElements + 1);

        AssertRefused(builder.Build(), "table too large: a minimum of 10000001 elements exceeds the limit of 10000000");
    }

    [Fact]
    public void FromBytes_OperandStackOfMaxDepth_CompilesAndRuns()
    {
        var result = Instantiate(OperandStack(EngineLimits.MaxOperandStackDepth)).GetFunction("f")!.Invoke();

        Assert.Equal(EngineLimits.MaxOperandStackDepth, result[0].AsI32());
    }

    [Fact]
    public void FromBytes_OperandStackDeeperThanMax_FailsValidationNamingTheLimit() =>
        AssertRefused(OperandStack(EngineLimits.MaxOperandStackDepth + 1), "operand stack too deep: more than the limit of 60000 values");

    [Fact]
    public void FromBytes_MaxImports_Compiles() => Assert.NotNull(Module.FromBytes(Imports(EngineLimits.MaxImports)));

    [Fact]
    public void FromBytes_MoreThanMaxImports_FailsValidationNamingTheLimit() =>
        AssertRefused(Imports(EngineLimits.MaxImports + 1), "too many imports: 100001 exceeds the limit of 100000");

    [Fact]
    public void FromBytes_MaxExports_CompilesAndRuns()
    {
        var instance = Instantiate(Exports(EngineLimits.MaxExports));

        Assert.Equal(7, instance.GetFunction($"e{EngineLimits.MaxExports - 1}")!.Invoke()[0].AsI32());
    }

    [Fact]
    public void FromBytes_MoreThanMaxExports_FailsValidationNamingTheLimit() =>
        AssertRefused(Exports(EngineLimits.MaxExports + 1), "too many exports: 100001 exceeds the limit of 100000");

    [Fact]
    public void FromBytes_MaxGlobals_Instantiates() => Assert.NotNull(Instantiate(Globals(EngineLimits.MaxGlobals)));

    [Fact]
    public void FromBytes_MoreThanMaxGlobals_FailsValidationNamingTheLimit() =>
        AssertRefused(Globals(EngineLimits.MaxGlobals + 1), "too many globals: 1000001 exceeds the limit of 1000000");

    [Fact]
    public void Invoke_ManyNestedBlocksWithResults_Runs()
    {
        // 100,000 nested (block (result i32)), each ended by a branch carrying the value out: a
        // branch slot per block was 100,000 IL locals (InvalidProgramException at the call).
        const int Depth = 100_000;
        var code = new List<byte>();
        for (var i = 0; i < Depth; i++) code.AddRange([0x02, I32]);
        code.AddRange([0x41, 0x2A]);
        for (var i = 0; i < Depth; i++) code.AddRange([0x0C, 0x00, 0x0B]);
        var builder = new WasmBuilder();
        builder.ExportFunction("f", builder.AddFunction(builder.AddType([], [I32]), [], [.. code]));

        Assert.Equal(42, Instantiate(builder.Build()).GetFunction("f")!.Invoke()[0].AsI32());
    }

    [Fact]
    public void Invoke_FunctionNamingSixtyThousandGlobals_Runs()
    {
        // Sums 60,000 globals: past the objects a function caches in locals, the rest load in place.
        const int Count = 60_000;
        var builder = new WasmBuilder();
        for (var i = 0; i < Count; i++) builder.AddGlobal(1);
        var code = new List<byte> { 0x41, 0x00 };
        for (var i = 0u; i < Count; i++) code.AddRange([0x23, .. U32(i), 0x6A]);
        builder.ExportFunction("f", builder.AddFunction(builder.AddType([], [I32]), [(49_000, I64)], [.. code]));

        Assert.Equal(Count, Instantiate(builder.Build()).GetFunction("f")!.Invoke()[0].AsI32());
    }

    private static Instance Instantiate(byte[] binary) => new Linker().Instantiate(Module.FromBytes(binary));

    private static void AssertRefused(byte[] binary, string reason)
    {
        var error = Assert.Throws<ValidationException>(() => Module.FromBytes(binary));
        Assert.Equal(reason, error.Reason);
    }

    // `count` functions () -> i32 returning 7; the first and last exported.
    private static byte[] Functions(int count)
    {
        var builder = new WasmBuilder();
        var type = builder.AddType([], [I32]);
        for (var i = 0; i < count; i++) builder.AddFunction(type, [], [0x41, 0x07]);
        builder.ExportFunction("first", 0);
        builder.ExportFunction("last", (uint)count - 1);
        return builder.Build();
    }

    private static byte[] Types(int count)
    {
        var builder = new WasmBuilder();
        for (var i = 0; i < count; i++) builder.AddType([], []);
        return builder.Build();
    }

    // One function () -> () whose body is `size` bytes: one byte of local declarations (none),
    // size - 2 nops and the final end.
    private static byte[] BodyOfSize(int size)
    {
        var builder = new WasmBuilder();
        var nops = new byte[size - 2];
        Array.Fill(nops, (byte)0x01);
        builder.ExportFunction("f", builder.AddFunction(builder.AddType([], []), [], nops));
        return builder.Build();
    }

    // f(p: i64) with `locals` i64 locals: p + the last local.
    private static byte[] Locals(int locals)
    {
        var builder = new WasmBuilder();
        var type = builder.AddType([I64], [I64]);
        builder.ExportFunction("f", builder.AddFunction(type, [((uint)locals, I64)], [0x20, 0x00, 0x20, .. U32((uint)locals), 0x7C]));
        return builder.Build();
    }

    // f(p0..p(n-1): i32) -> (i32 x results), returning its parameters reversed (results = parameters) or constants.
    private static byte[] ParametersAndResults(int parameters, int results)
    {
        var builder = new WasmBuilder();
        var type = builder.AddType(Enumerable.Repeat(I32, parameters).ToArray(), Enumerable.Repeat(I32, results).ToArray());
        var code = new List<byte>();
        for (var i = 0; i < results; i++)
        {
            if (i < parameters) code.AddRange([0x20, .. U32((uint)(parameters - 1 - i))]);
            else code.AddRange([0x41, 0x00]);
        }
        builder.ExportFunction("f", builder.AddFunction(type, [], [.. code]));
        return builder.Build();
    }

    // f() -> i32: `depth` constants 1 on the stack, then added up.
    private static byte[] OperandStack(int depth)
    {
        var code = new List<byte>(depth * 3);
        for (var i = 0; i < depth; i++) code.AddRange([0x41, 0x01]);
        for (var i = 1; i < depth; i++) code.Add(0x6A);
        var builder = new WasmBuilder();
        builder.ExportFunction("f", builder.AddFunction(builder.AddType([], [I32]), [], [.. code]));
        return builder.Build();
    }

    private static byte[] Imports(int count)
    {
        var builder = new WasmBuilder();
        var type = builder.AddType([], []);
        for (var i = 0; i < count; i++) builder.ImportFunction("env", $"f{i}", type);
        return builder.Build();
    }

    private static byte[] Exports(int count)
    {
        var builder = new WasmBuilder();
        var f = builder.AddFunction(builder.AddType([], [I32]), [], [0x41, 0x07]);
        for (var i = 0; i < count; i++) builder.ExportFunction($"e{i}", f);
        return builder.Build();
    }

    private static byte[] Globals(int count)
    {
        var builder = new WasmBuilder();
        for (var i = 0; i < count; i++) builder.AddGlobal(i);
        return builder.Build();
    }
}

using Xunit.Abstractions;
using Sandbox.Engine.Compilation;
using Sandbox.Engine.Tests.Support;
using static Sandbox.Engine.Tests.Support.WasmBuilder;

namespace Sandbox.Engine.Tests.Runtime;

/// <summary>
/// The stack guard trusts <see cref="FrameEstimate"/> to be at least the frame RyuJIT really gives
/// a function (a smaller real frame is only room left unused): these measure real frames, as the
/// distance between the stack addresses a host function sees at two recursion depths.
/// </summary>
public class FrameEstimateTests(ITestOutputHelper output)
{
    private const int Levels = 64;

    public static TheoryData<string, uint, byte> LocalShapes => new()
    {
        { "no locals", 0, I64 },
        { "i32 locals", 5_000, I32 },
        { "i64 locals", 5_000, I64 },
        { "f32 locals", 5_000, F32 },
        { "f64 locals", 5_000, F64 },
        { "funcref locals", 5_000, FuncRef },
        { "externref locals", 5_000, ExternRef },
        { "used i64 locals", 2_000, I64 },
    };

    [Theory]
    [MemberData(nameof(LocalShapes))]
    public void Of_RecursionWithLocals_IsAtLeastTheMeasuredFrame(string shape, uint locals, byte type)
    {
        // f(n: i32): n == 0 ? probe() : f(n - 1); probe() (so the recursive call is no tail call), with the locals read (when "used") so the JIT keeps them.
        var code = new List<byte>();
        if (shape.StartsWith("used", StringComparison.Ordinal))
        {
            // local[i] = local[i] + n for each i64 local: every one live across the call below.
            for (var i = 1u; i <= locals; i++) code.AddRange([0x20, .. U32(i), 0x20, 0x00, 0xAC, 0x7C, 0x21, .. U32(i)]);
        }
        code.AddRange([0x20, 0x00, 0x45, 0x04, 0x40, 0x10, 0x00, 0x05, 0x20, 0x00, 0x41, 0x01, 0x6B, 0x10, 0x01, 0x0B, 0x10, 0x00]);
        if (shape.StartsWith("used", StringComparison.Ordinal))
        {
            for (var i = 1u; i <= locals; i++) code.AddRange([0x20, .. U32(i), 0x1A]);
            code.AddRange([0x20, 0x00, 0x1A]);
            for (var i = 1u; i <= locals; i++) code.AddRange([0x20, .. U32(i)]);
            for (var i = 1u; i < locals; i++) code.Add(0x7C);
            code.Add(0x1A);
        }
        AssertEstimateCoversFrame([I32], locals == 0 ? [] : [(locals, type)], [.. code]);
    }

    [Fact]
    public void Of_RecursionWith1000Parameters_IsAtLeastTheMeasuredFrame()
    {
        // f(n: i32, p1..p999: i64): n == 0 ? host() : f(n - 1, p1..p999).
        var code = new List<byte> { 0x20, 0x00, 0x45, 0x04, 0x40, 0x10, 0x00, 0x05, 0x20, 0x00, 0x41, 0x01, 0x6B };
        for (var i = 1u; i < 1000; i++) code.AddRange([0x20, .. U32(i)]);
        code.AddRange([0x10, 0x01, 0x0B, 0x10, 0x00]);
        AssertEstimateCoversFrame([I32, .. Enumerable.Repeat(I64, 999)], [], [.. code]);
    }

    [Fact]
    public void Of_RecursionWithDeepOperandStack_IsAtLeastTheMeasuredFrame()
    {
        // f(n: i32): 10,000 i64 values held across the call, then summed.
        const int Depth = 10_000;
        var code = new List<byte>();
        for (var i = 0; i < Depth; i++) code.AddRange([0x20, 0x00, 0xAC]);
        code.AddRange([0x20, 0x00, 0x45, 0x04, 0x40, 0x10, 0x00, 0x05, 0x20, 0x00, 0x41, 0x01, 0x6B, 0x10, 0x01, 0x0B, 0x10, 0x00]);
        for (var i = 1; i < Depth; i++) code.Add(0x7C);
        code.Add(0x1A);
        AssertEstimateCoversFrame([I32], [], [.. code]);
    }

    [Fact]
    public void Of_RecursionWithLongFloatArithmetic_IsAtLeastTheMeasuredFrame()
    {
        // f(n: i32) (local f32 f64): 5,000 rounds of float arithmetic (inlined helpers, JIT temporaries).
        var code = new List<byte>();
        for (var i = 0; i < 5_000; i++)
        {
            code.AddRange([0x20, 0x01, 0x20, 0x01, 0x94, 0x20, 0x00, 0xB2, 0x96, 0x21, 0x01]); // l1 = min(l1 * l1, f32(n))
            code.AddRange([0x20, 0x02, 0x20, 0x01, 0xBB, 0xA0, 0x9F, 0x21, 0x02]); // l2 = sqrt(l2 + f64(l1))
        }
        code.AddRange([0x20, 0x00, 0x45, 0x04, 0x40, 0x10, 0x00, 0x05, 0x20, 0x00, 0x41, 0x01, 0x6B, 0x10, 0x01, 0x0B, 0x10, 0x00]);
        AssertEstimateCoversFrame([I32], [(1, F32), (1, F64)], [.. code]);
    }

    private unsafe void AssertEstimateCoversFrame(byte[] parameters, (uint, byte)[] locals, byte[] code)
    {
        var builder = new WasmBuilder();
        var hostType = builder.AddType([], []);
        var type = builder.AddType(parameters, []);
        builder.ImportFunction("env", "probe", hostType);
        var f = builder.AddFunction(type, locals, code);
        builder.ExportFunction("f", f);
        var module = Module.FromBytes(builder.Build());
        nint address = 0;
        var linker = new Linker().DefineFunction("env", "probe", new FuncType([], []), (_, _) =>
        {
            byte marker = 0;
            if (address == 0 || (nint)(&marker) < address) address = (nint)(&marker);
        });
        var function = linker.Instantiate(module).GetFunction("f")!;
        var options = new CallOptions { RunOnCallingThread = true };
        var arguments = new Value[parameters.Length];
        for (var i = 1; i < arguments.Length; i++) arguments[i] = Value.FromI64(i);
        nint measured = 0;
        Exception? failure = null;
        // A thread of its own, with room for the levels whatever the test host's threads have.
        var thread = new Thread(() =>
        {
            try
            {
                arguments[0] = Value.FromI32(0);
                function.Invoke(arguments, [], options);
                var shallow = address;
                address = 0;
                arguments[0] = Value.FromI32(Levels);
                function.Invoke(arguments, [], options);
                measured = (shallow - address) / Levels;
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, maxStackSize: 512 * 1024 * 1024);
        thread.Start();
        thread.Join();
        Assert.Null(failure);

        var estimate = FrameEstimate.Of(module.Definition.Types[1], module.Definition.Codes[0]);
        output.WriteLine($"estimate {estimate} bytes, measured {measured} bytes per frame");
        Assert.True(estimate >= measured, $"estimate {estimate} bytes, measured {measured} bytes per frame");
    }
}

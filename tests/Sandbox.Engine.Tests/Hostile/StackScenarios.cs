using Sandbox.Engine.Tests.Support;
using static Sandbox.Engine.Tests.Support.WasmBuilder;

namespace Sandbox.Engine.Tests.Hostile;

/// <summary>
/// Modules that recurse until the stack runs out, one per frame shape (issue 13 item 1). Each is
/// run in a child process (<see cref="ChildProgram"/>): a stack overflow kills the process, and the
/// test runner must survive to report it. A scenario prints its outcome, e.g.
/// <c>trap CallStackExhausted</c>.
/// </summary>
public static class StackScenarios
{
    public const string Exhausted = "trap CallStackExhausted";

    /// <summary>Every scenario by name.</summary>
    public static readonly IReadOnlyDictionary<string, Func<string>> All = new Dictionary<string, Func<string>>
    {
        ["repro-30000-i64-locals"] = ReproFrom57Bytes,
        ["locals-i32"] = () => RecurseWithLocals(30_000, I32),
        ["locals-i64"] = () => RecurseWithLocals(49_999, I64),
        ["locals-f32"] = () => RecurseWithLocals(30_000, F32),
        ["locals-f64"] = () => RecurseWithLocals(49_999, F64),
        ["locals-funcref"] = () => RecurseWithLocals(49_999, FuncRef),
        ["locals-externref"] = () => RecurseWithLocals(49_999, ExternRef),
        ["locals-near-small-frame"] = () => RecurseWithLocals(440, I64),
        ["no-locals"] = () => RecurseWithLocals(0, I64),
        ["params-1000"] = RecurseWith1000Parameters,
        ["operands-59000"] = RecurseWithDeepOperandStack,
        ["call-indirect-locals"] = () => RecurseThroughTable(30_000),
        ["call-indirect-small"] = () => RecurseThroughTable(0),
        ["host-reentry-locals"] = () => RecurseThroughHost(30_000),
        ["host-reentry-small"] = () => RecurseThroughHost(0),
    };

    /// <summary>Runs <paramref name="module"/>'s export <c>f</c> with (i64 0) and reports how it ended.</summary>
    public static string Run(byte[] module, Linker? linker = null, Action<Instance>? bind = null, Value[]? arguments = null)
    {
        var instance = (linker ?? new Linker()).Instantiate(Module.FromBytes(module));
        bind?.Invoke(instance);
        try
        {
            instance.GetFunction("f")!.Invoke(arguments ?? [Value.FromI64(0)]);
            return "returned";
        }
        catch (TrapException trap)
        {
            return $"trap {trap.Code}";
        }
    }

    /// <summary>
    /// The module from the issue (43 bytes here, without its name section): <c>(func $f (param i64) (local 30000
    /// i64) (call $f (i64.add (local.get 0) (i64.const 1))))</c>, exported as <c>f</c>.
    /// </summary>
    public static byte[] Repro()
    {
        var builder = new WasmBuilder();
        var type = builder.AddType([I64], []);
        var f = builder.AddFunction(type, [(30_000, I64)], [0x20, 0x00, 0x42, 0x01, 0x7C, 0x10, 0x00]);
        builder.ExportFunction("f", f);
        return builder.Build();
    }

    private static string ReproFrom57Bytes() => Run(Repro());

    // f(n: i64) with `count` locals of `type`: f(n + 1).
    private static string RecurseWithLocals(uint count, byte type)
    {
        var builder = new WasmBuilder();
        var signature = builder.AddType([I64], []);
        var f = builder.AddFunction(signature, count == 0 ? [] : [(count, type)], [0x20, 0x00, 0x42, 0x01, 0x7C, 0x10, 0x00]);
        builder.ExportFunction("f", f);
        return Run(builder.Build());
    }

    // f(p0..p999: i64) = f(p0..p999): 1,000 arguments on the stack for every call.
    private static string RecurseWith1000Parameters()
    {
        var builder = new WasmBuilder();
        var signature = builder.AddType(Enumerable.Repeat(I64, 1000).ToArray(), []);
        var code = new List<byte>();
        for (var i = 0u; i < 1000; i++) code.AddRange([0x20, .. U32(i)]);
        code.AddRange([0x10, 0x00]);
        var f = builder.AddFunction(signature, [], [.. code]);
        builder.ExportFunction("f", f);
        return Run(builder.Build(), arguments: Enumerable.Repeat(Value.FromI64(0), 1000).ToArray());
    }

    // f(n: i64): 59,000 constants stay on the operand stack across the recursive call.
    private static string RecurseWithDeepOperandStack()
    {
        const int Depth = 59_000;
        var builder = new WasmBuilder();
        var signature = builder.AddType([I64], []);
        var code = new List<byte>();
        for (var i = 0; i < Depth; i++) code.AddRange([0x42, 0x00]);
        code.AddRange([0x20, 0x00, 0x10, 0x00]);
        for (var i = 0; i < Depth; i++) code.Add(0x1A);
        var f = builder.AddFunction(signature, [], [.. code]);
        builder.ExportFunction("f", f);
        return Run(builder.Build());
    }

    // f(n: i64) calls table[0] (itself) through call_indirect.
    private static string RecurseThroughTable(uint locals)
    {
        var builder = new WasmBuilder();
        var signature = builder.AddType([I64], []);
        builder.AddTable(1, 1);
        var f = builder.AddFunction(signature, locals == 0 ? [] : [(locals, I64)],
            [0x20, 0x00, 0x42, 0x01, 0x7C, 0x41, 0x00, 0x11, .. U32(signature), 0x00]);
        builder.AddElements(0, f);
        builder.ExportFunction("f", f);
        return Run(builder.Build());
    }

    // f(n: i64) calls the host, which calls f again: guest and host frames alternate.
    private static string RecurseThroughHost(uint locals)
    {
        var builder = new WasmBuilder();
        var signature = builder.AddType([I64], []);
        var host = builder.ImportFunction("env", "reenter", signature);
        var f = builder.AddFunction(signature, locals == 0 ? [] : [(locals, I64)], [0x20, 0x00, 0x42, 0x01, 0x7C, 0x10, .. U32(host)]);
        builder.ExportFunction("f", f);
        Function? export = null;
        var linker = new Linker().DefineFunction("env", "reenter", new FuncType([ValueType.I64], []), (arguments, _) => export!.Invoke(arguments, []));
        return Run(builder.Build(), linker, instance => export = instance.GetFunction("f"));
    }
}

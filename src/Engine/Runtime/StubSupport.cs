using System.Runtime.Intrinsics;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// What generated signature stubs call: reading typed arguments from and writing results to value
/// spans (host to guest), and calling a host function with boxed values (guest to host).
/// </summary>
internal static class StubSupport
{
    public static int ArgI32(ReadOnlySpan<Value> values, int i) => values[i].AsI32();

    public static long ArgI64(ReadOnlySpan<Value> values, int i) => values[i].AsI64();

    public static float ArgF32(ReadOnlySpan<Value> values, int i) => values[i].AsF32();

    public static double ArgF64(ReadOnlySpan<Value> values, int i) => values[i].AsF64();

    public static Vector128<byte> ArgV128(ReadOnlySpan<Value> values, int i) => values[i].AsV128();

    public static void SetV128(Span<Value> values, int i, Vector128<byte> value) => values[i] = Value.FromV128(value);

    public static object? ArgRef(ReadOnlySpan<Value> values, int i) => values[i].Reference;

    public static void SetI32(Span<Value> values, int i, int value) => values[i] = Value.FromI32(value);

    public static void SetI64(Span<Value> values, int i, long value) => values[i] = Value.FromI64(value);

    public static void SetF32(Span<Value> values, int i, float value) => values[i] = Value.FromF32(value);

    public static void SetF64(Span<Value> values, int i, double value) => values[i] = Value.FromF64(value);

    public static void SetFuncRef(Span<Value> values, int i, object? value) => values[i] = Value.FromFunction((Function?)value);

    public static void SetExternRef(Span<Value> values, int i, object? value) => values[i] = Value.FromExtern(value);

    public static Value FuncRef(object? value) => Value.FromFunction((Function?)value);

    /// <summary>
    /// Runs a host function for generated code: an exception other than a trap becomes a
    /// <see cref="TrapCode.HostError"/> trap carrying its message; results are type-checked.
    /// </summary>
    public static void CallHost(object target, Value[] arguments, Value[] results, int depth)
    {
        var function = (Function)target;
        var outerDepth = StackGuard.HostCallDepth;
        StackGuard.HostCallDepth = depth;
        try
        {
            function.Callback!(arguments, results);
        }
        // A filter, not a catch and rethrow of traps: a catch block runs on top of the stack, below
        // the frames it unwinds, so a trap rethrown at every host boundary of a deep guest/host
        // recursion would need stack in proportion to its depth, and overflow (issue 13 item 1).
        catch (Exception exception) when (exception is not TrapException)
        {
            throw new TrapException(TrapCode.HostError, exception.Message, exception);
        }
        finally
        {
            StackGuard.HostCallDepth = outerDepth;
        }
        var expected = function.Type.Results;
        for (var i = 0; i < expected.Length; i++)
        {
            if (results[i].Type != expected[i])
            {
                throw new TrapException(TrapCode.HostError, $"host function result {i} is {results[i].Type.ToWat()}, its type says {expected[i].ToWat()}");
            }
        }
    }
}

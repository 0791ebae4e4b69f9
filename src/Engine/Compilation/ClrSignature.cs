namespace Sandbox.Engine.Compilation;

/// <summary>
/// How a Wasm function type becomes a CLR method signature: parameters in order, the first result
/// as the return value, further results as <c>ref</c> parameters, then the call depth (an
/// <c>int</c>, see <see cref="Runtime.StackGuard"/>), the thread's <see cref="Runtime.ExecutionState"/>
/// and last the callee's context object (the <see cref="Instance"/>, or the <see cref="Function"/>
/// of a host function). These come last so that a call can be emitted after its arguments are
/// already on the IL stack.
/// </summary>
internal static class ClrSignature
{
    public static Type ClrType(ValueType type) => type switch
    {
        ValueType.I32 => typeof(int),
        ValueType.I64 => typeof(long),
        ValueType.F32 => typeof(float),
        ValueType.F64 => typeof(double),
        ValueType.V128 => typeof(System.Runtime.Intrinsics.Vector128<byte>),
        ValueType.FuncRef or ValueType.ExternRef => typeof(object),
        _ => throw new NotSupportedException($"value type {type.ToWat()} is not supported"),
    };

    public static Type ReturnType(FuncType type) => type.Results.Length == 0 ? typeof(void) : ClrType(type.Results[0]);

    /// <summary>The parameter list ending with the depth, the execution state and <paramref name="context"/>.</summary>
    public static Type[] ParameterTypes(FuncType type, Type context)
    {
        var parameters = new Type[type.Parameters.Length + Math.Max(0, type.Results.Length - 1) + 3];
        var n = 0;
        foreach (var p in type.Parameters) parameters[n++] = ClrType(p);
        for (var i = 1; i < type.Results.Length; i++) parameters[n++] = ClrType(type.Results[i]).MakeByRefType();
        parameters[n++] = typeof(int);
        parameters[n++] = typeof(Runtime.ExecutionState);
        parameters[n] = context;
        return parameters;
    }
}

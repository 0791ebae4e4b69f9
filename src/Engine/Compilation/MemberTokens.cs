using System.Reflection;
using System.Reflection.Emit;

namespace Sandbox.Engine.Compilation;

/// <summary>
/// The metadata tokens of the engine's runtime members (helpers, fields of Instance, Memory,
/// ExecutionState...) in one generated module, each looked up once per module.
/// </summary>
/// <remarks>
/// <c>ILGenerator.Emit(OpCode, MethodInfo)</c> and <c>Emit(OpCode, FieldInfo)</c> resolve a member
/// of another assembly to a member reference again on every call, at a few microseconds each
/// (a call, a field load): with several in every function's prologue alone, that was most of
/// the emission time of a module of small functions. Emitting the cached token instead writes the
/// same bytes. Not thread-safe: one instance per module compilation.
/// </remarks>
internal sealed class MemberTokens(ModuleBuilder module)
{
    private readonly Dictionary<FieldInfo, int> fields = [];
    private readonly Dictionary<MethodInfo, int> methods = [];

    public int Field(FieldInfo field)
    {
        if (!fields.TryGetValue(field, out var token)) fields[field] = token = module.GetFieldMetadataToken(field);
        return token;
    }

    /// <summary>
    /// The token of <paramref name="method"/> for a <c>call</c>, or false when it must be emitted
    /// as a <see cref="MethodInfo"/>: <c>Emit(OpCode, int)</c> counts a call as leaving the stack
    /// height unchanged, so a method that pushes more than it pops (no parameter, a result) would
    /// make the computed max stack too small; any other method only overestimates it.
    /// </summary>
    public bool TryGetCall(MethodInfo method, out int token)
    {
        if (!methods.TryGetValue(method, out token))
        {
            var pushes = method.ReturnType == typeof(void) ? 0 : 1;
            token = method.GetParameters().Length >= pushes ? module.GetMethodMetadataToken(method) : 0;
            methods[method] = token;
        }
        return token != 0;
    }
}

using System.Runtime.CompilerServices;

namespace Sandbox.Engine.Runtime;

/// <summary>
/// Trap factories for generated code and runtime helpers. Generated code emits
/// <c>call Traps.X(); throw</c>, so the JIT sees a throw block and moves it out of the hot path.
/// </summary>
internal static class Traps
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception Create(int code) => new TrapException((TrapCode)code);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception UndefinedElement() => new TrapException(TrapCode.TableOutOfBounds, "undefined element");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Throw(TrapCode code) => throw new TrapException(code);
}

namespace Sandbox.Engine.Validation.Internal;

/// <summary>Operand types on the validator's stack: a value type, or Unknown below an unreachable point.</summary>
internal static class Operand
{
    /// <summary>
    /// The "unknown" type of the spec's algorithm (Appendix 7.3, <c>Unknown</c>): popped from the
    /// polymorphic stack after <c>unreachable</c>/<c>br</c>, it matches any type. 0 is no valid
    /// value type encoding.
    /// </summary>
    public const ValueType Unknown = 0;

    /// <summary>Block types with a single result, one per value type, so frames never allocate.</summary>
    private static readonly FuncType[] SingleResult = CreateSingleResults();

    public static FuncType ResultOf(ValueType type) => SingleResult[(byte)type];

    private static FuncType[] CreateSingleResults()
    {
        var types = new FuncType[256];
        foreach (var t in new[] { ValueType.I32, ValueType.I64, ValueType.F32, ValueType.F64, ValueType.V128, ValueType.FuncRef, ValueType.ExternRef })
        {
            types[(byte)t] = new FuncType([], [t]);
        }
        return types;
    }
}

namespace Sandbox.Engine.Tests.Spec;

/// <summary>
/// One expected result of an <c>assert_return</c>: an exact value, a NaN class, a vector of lanes
/// (each exact or a NaN class), any non-null reference of a type, or one of several alternatives.
/// Use <see cref="Matches"/> to compare an actual result bit for bit.
/// </summary>
public sealed class SpecExpected
{
    private SpecExpected(ValueType type)
    {
        Type = type;
    }

    public ValueType Type { get; }

    /// <summary>The exact value expected, when there is one (not for NaN classes, lanes with NaN classes, or "any reference").</summary>
    public SpecValue? Value { get; private init; }

    /// <summary>For a scalar f32/f64: the NaN class expected instead of a value.</summary>
    public NanPattern Nan { get; private init; }

    /// <summary>For a v128 with a NaN class in some lane: the lane shape and each lane.</summary>
    public VectorLanes? Lanes { get; private init; }

    /// <summary>True for <c>(ref.func)</c> / <c>(ref.extern)</c> without a value: any non-null reference.</summary>
    public bool AnyNonNullReference { get; private init; }

    /// <summary>For <c>(either …)</c>: the result must match one of these.</summary>
    public IReadOnlyList<SpecExpected>? Alternatives { get; private init; }

    /// <summary>
    /// For assert_trap and assert_exhaustion, wast2json lists result types without values; such an
    /// entry has only a <see cref="Type"/>.
    /// </summary>
    public bool TypeOnly { get; private init; }

    public static SpecExpected Exact(SpecValue value) => new(value.Type) { Value = value };

    public static SpecExpected NaN(ValueType type, NanPattern pattern) => new(type) { Nan = pattern };

    public static SpecExpected Vector(VectorLanes lanes) => new(ValueType.V128) { Lanes = lanes };

    public static SpecExpected AnyReference(ValueType type) => new(type) { AnyNonNullReference = true };

    public static SpecExpected Either(IReadOnlyList<SpecExpected> alternatives) =>
        new(alternatives.Count > 0 ? alternatives[0].Type : ValueType.I32) { Alternatives = alternatives };

    public static SpecExpected OfType(ValueType type) => new(type) { TypeOnly = true };

    /// <summary>Whether <paramref name="actual"/> satisfies this expectation, bit for bit.</summary>
    public bool Matches(SpecValue actual)
    {
        if (Alternatives is { } alternatives)
        {
            foreach (var alternative in alternatives)
            {
                if (alternative.Matches(actual)) return true;
            }
            return false;
        }
        if (actual.Type != Type) return false;
        if (TypeOnly) return true;
        if (AnyNonNullReference) return !actual.IsNull;
        if (Lanes is { } lanes) return lanes.Matches(actual.Vector);
        if (Nan != NanPattern.None)
        {
            return Type == ValueType.F32
                ? NanBits.Matches32((uint)actual.Bits, Nan)
                : NanBits.Matches64(actual.Bits, Nan);
        }
        var expected = Value!.Value;
        return Type switch
        {
            ValueType.V128 => expected.Vector == actual.Vector,
            _ when Type.IsReference() => expected.IsNull == actual.IsNull && (expected.IsNull || expected.Bits == actual.Bits),
            ValueType.I32 or ValueType.F32 => (uint)expected.Bits == (uint)actual.Bits,
            _ => expected.Bits == actual.Bits,
        };
    }

    public override string ToString() =>
        Alternatives is { } a ? $"(either {string.Join(' ', a)})"
        : TypeOnly ? Type.ToWat()
        : AnyNonNullReference ? $"(ref.{(Type == ValueType.FuncRef ? "func" : "extern")})"
        : Lanes is { } lanes ? lanes.ToString()
        : Nan != NanPattern.None ? $"{Type.ToWat()}:nan:{Nan.ToString().ToLowerInvariant()}"
        : Value!.Value.ToString();
}

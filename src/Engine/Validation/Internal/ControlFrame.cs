using Sandbox.Engine.Binary;

namespace Sandbox.Engine.Validation.Internal;

/// <summary>
/// A control frame of the validation algorithm (Spec Appendix 7.3): the construct that opened it,
/// its block type, the operand stack height at entry, and whether the rest of it is unreachable.
/// </summary>
internal struct ControlFrame
{
    public Opcode Kind;
    public FuncType Type;
    public int Height;
    public bool Unreachable;

    /// <summary>Offset of the br_table that last checked this frame as a target (-1: none); see FunctionValidator.BrTable.</summary>
    public int CheckedByBrTableAt;

    /// <summary>What a branch to this frame carries: a loop's parameters, any other block's results.</summary>
    public readonly ValueType[] LabelTypes => Kind == Opcode.Loop ? Type.Parameters : Type.Results;
}

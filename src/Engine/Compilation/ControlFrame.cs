using System.Reflection.Emit;

namespace Sandbox.Engine.Compilation;

/// <summary>The kind of a control frame (Spec 3.3.8 control instructions, plus the function body).</summary>
internal enum FrameKind
{
    Function,
    Block,
    Loop,
    If,
}

/// <summary>
/// A control frame during compilation. Values below <see cref="Height"/> belong to enclosing
/// frames and stay on the IL stack; values carried by a branch travel through <see cref="Slots"/>
/// (IL locals), so every path into <see cref="Label"/> leaves the IL stack at the same depth.
/// </summary>
internal sealed class ControlFrame(FrameKind kind, ValueType[] parameters, ValueType[] results, int height, Label label)
{
    public FrameKind Kind { get; } = kind;

    public ValueType[] Parameters { get; } = parameters;

    public ValueType[] Results { get; } = results;

    /// <summary>Operand stack height below the frame's parameters.</summary>
    public int Height { get; } = height;

    /// <summary>The branch target: the loop's start, otherwise the frame's end.</summary>
    public Label Label { get; } = label;

    /// <summary>For an <c>if</c>: the start of the else arm.</summary>
    public Label Else { get; init; }

    /// <summary>Locals carrying the branch values; created on first use.</summary>
    public LocalBuilder[]? Slots { get; set; }

    /// <summary>Some branch jumps to <see cref="Label"/> (so the end must load the slots).</summary>
    public bool Targeted { get; set; }

    public bool HasElse { get; set; }

    /// <summary>Types a branch to this frame carries (Spec 3.3.8 "block", "loop": the label type): loop parameters, otherwise results.</summary>
    public ValueType[] BranchTypes => Kind == FrameKind.Loop ? Parameters : Results;
}

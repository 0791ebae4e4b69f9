namespace Sandbox.Engine.Runtime;

/// <summary>The read-modify-write operators of the threads proposal (<c>*.atomic.rmw*.op</c>).</summary>
internal enum AtomicRmwOp
{
    Add,
    Sub,
    And,
    Or,
    Xor,
    Xchg,
}

namespace Sandbox.Engine;

/// <summary>
/// Why guest code stopped abnormally (Spec 4.4: an instruction "traps"). Every runtime failure of
/// guest code is one of these, on a <see cref="TrapException"/>; no CLR exception stands in for one.
/// </summary>
public enum TrapCode
{
    /// <summary>The <c>unreachable</c> instruction was executed.</summary>
    Unreachable,

    /// <summary>A load, store or bulk memory operation touched bytes past the memory's current length.</summary>
    MemoryOutOfBounds,

    /// <summary>A table access, <c>call_indirect</c> index or bulk table operation was past the table's size.</summary>
    TableOutOfBounds,

    /// <summary><c>call_indirect</c> found a null reference in the table ("uninitialized element").</summary>
    IndirectCallToNull,

    /// <summary><c>call_indirect</c> found a function whose type differs from the expected one.</summary>
    IndirectCallTypeMismatch,

    /// <summary>Integer division or remainder by zero.</summary>
    IntegerDivideByZero,

    /// <summary>Signed division of the minimum value by -1, or a float-to-int truncation out of range.</summary>
    IntegerOverflow,

    /// <summary>A trapping float-to-int truncation of NaN.</summary>
    InvalidConversionToInteger,

    /// <summary>The call depth limit or the thread's stack was exhausted (deep or infinite recursion).</summary>
    CallStackExhausted,

    /// <summary>The call was stopped by its deadline or cancellation token.</summary>
    Interrupted,

    /// <summary>The call used up its fuel budget.</summary>
    OutOfFuel,

    /// <summary>A host function threw; the message is the host exception's.</summary>
    HostError,

    /// <summary>An atomic access whose effective address is not a multiple of its size (threads proposal).</summary>
    UnalignedAtomic,

    /// <summary><c>memory.atomic.wait32/64</c> on a memory that is not shared (threads proposal).</summary>
    ExpectedSharedMemory,
}

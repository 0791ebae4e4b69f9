namespace Sandbox.Engine.Validation.Internal;

/// <summary>The operand shapes of the threads proposal's memory instructions.</summary>
internal enum AtomicShape
{
    /// <summary>[i32 address] → [t]</summary>
    Load,

    /// <summary>[i32 address, t value] → []</summary>
    Store,

    /// <summary>[i32 address, t operand] → [t old value]</summary>
    ReadModifyWrite,

    /// <summary>[i32 address, t expected, t replacement] → [t old value]</summary>
    CompareExchange,

    /// <summary>memory.atomic.notify: [i32 address, i32 count] → [i32 woken]</summary>
    Notify,

    /// <summary>memory.atomic.wait32/64: [i32 address, t expected, i64 timeout] → [i32 result]</summary>
    Wait,
}

namespace Sandbox.Engine;

/// <summary>
/// Allocates blocks of an instance's memory for the host (WAMR's <c>wasm_runtime_module_malloc</c>):
/// either by calling the guest's own allocator or, for a guest without one, from a host heap region
/// added to the memory at instantiation. Blocks are named by offsets into <see cref="Memory"/>,
/// which stay valid when the memory grows.
/// </summary>
/// <remarks>
/// A guest allocator runs guest code: do not call it while the instance is running a call on
/// another thread (an instance runs one call at a time). The host heap is thread-safe.
/// </remarks>
public abstract class MemoryAllocator
{
    private protected MemoryAllocator(Memory memory)
    {
        Memory = memory;
    }

    /// <summary>The memory the offsets point into (the instance's memory 0).</summary>
    public Memory Memory { get; }

    /// <summary>Which allocator this is: <c>host heap</c>, or the guest export called, e.g. <c>malloc</c>.</summary>
    public abstract string Name { get; }

    /// <summary>False when blocks cannot be returned (a bump allocator, <c>cabi_realloc</c>): <see cref="Free"/> then does nothing.</summary>
    public abstract bool CanFree { get; }

    /// <summary>
    /// Allocates <paramref name="size"/> bytes aligned to <paramref name="alignment"/> (a power of
    /// two) and returns the block's offset in <see cref="Memory"/>, or null when there is no room.
    /// </summary>
    /// <param name="size">Bytes wanted.</param>
    /// <param name="alignment">A power of two the offset must be a multiple of.</param>
    /// <param name="options">
    /// Limits for the guest code a guest allocator runs (timeout, cancellation, fuel), as for
    /// <see cref="Function.Invoke(ReadOnlySpan{Value}, Span{Value}, CallOptions?)"/>; the timeout
    /// covers the whole operation, however many guest calls it takes. The host heap runs no guest
    /// code and ignores them. Null: unlimited.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="alignment"/> is not a power of two.</exception>
    /// <exception cref="TrapException">The guest allocator trapped, or was stopped by <paramref name="options"/> (<see cref="TrapCode.Interrupted"/>).</exception>
    public abstract ulong? Malloc(ulong size, ulong alignment = 8, CallOptions? options = null);

    /// <summary>Returns the block at <paramref name="offset"/>, which <see cref="Malloc"/> gave out.</summary>
    /// <param name="offset">The block's offset, as <see cref="Malloc"/> returned it.</param>
    /// <param name="options">Limits for a guest allocator's code, as for <see cref="Malloc"/>; null: unlimited.</param>
    /// <exception cref="ArgumentException">The host heap did not give out <paramref name="offset"/> (or it was freed already).</exception>
    /// <exception cref="TrapException">The guest allocator trapped, or was stopped by <paramref name="options"/> (<see cref="TrapCode.Interrupted"/>).</exception>
    public abstract void Free(ulong offset, CallOptions? options = null);

    private protected static void CheckAlignment(ulong alignment)
    {
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        {
            throw new ArgumentException($"alignment {alignment} is not a power of two", nameof(alignment));
        }
    }

    private protected static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) & ~(alignment - 1);
}

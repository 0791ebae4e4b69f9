namespace Sandbox.Engine;

/// <summary>How a guest's exported allocator is called (see <see cref="AllocatorExports"/>).</summary>
public enum AllocatorConvention
{
    /// <summary><c>malloc(size: i32) -> i32</c> (0 when out of memory) and an optional <c>free(ptr: i32)</c>.</summary>
    Libc,

    /// <summary>
    /// AssemblyScript's runtime: <c>__new(size: i32, classId: i32) -> i32</c> then <c>__pin(ptr) -> i32</c>
    /// so the collector keeps the block; freeing is <c>__unpin(ptr)</c>.
    /// </summary>
    AssemblyScript,

    /// <summary>
    /// The component model's <c>cabi_realloc(old: i32, old_size: i32, align: i32, new_size: i32) -> i32</c>,
    /// called as <c>cabi_realloc(0, 0, align, size)</c>. It has no free: blocks live as long as the instance.
    /// </summary>
    CanonicalAbi,
}

namespace Sandbox.Engine;

/// <summary>
/// The exports behind a guest allocator: the allocating function, the freeing one (if any) and the
/// calling convention. The presets cover C (<c>malloc</c>/<c>free</c>, also Walt-style bump
/// allocators exporting only <c>malloc</c>), AssemblyScript and the canonical ABI.
/// </summary>
/// <param name="Allocate">The export that allocates.</param>
/// <param name="Release">The export that frees, or null when blocks cannot be freed.</param>
/// <param name="Convention">How they are called.</param>
public sealed record AllocatorExports(string Allocate, string? Release, AllocatorConvention Convention)
{
    /// <summary><c>malloc</c> and <c>free</c> (free optional).</summary>
    public static AllocatorExports Libc { get; } = new("malloc", "free", AllocatorConvention.Libc);

    /// <summary>AssemblyScript's <c>__new</c> + <c>__pin</c>, freed by <c>__unpin</c>.</summary>
    public static AllocatorExports AssemblyScript { get; } = new("__new", "__unpin", AllocatorConvention.AssemblyScript);

    /// <summary>The canonical ABI's <c>cabi_realloc</c> (no free).</summary>
    public static AllocatorExports CanonicalAbi { get; } = new("cabi_realloc", null, AllocatorConvention.CanonicalAbi);
}

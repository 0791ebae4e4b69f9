namespace Sandbox.Engine.Tests.Spec;

/// <summary>
/// Commands the decode tests deliberately do not meet, each with its reason. A listed command
/// that starts passing is reported too, so the list cannot go stale silently.
/// </summary>
public static class SpecExceptions
{
    private const string CompactImports =
        "wabt 1.0.41 wrote this module with the compact-import-section encoding (a 0x7F marker after an empty field name), a proposal outside WebAssembly 2.0 and the threads proposal";

    private const string SingleTable =
        "the threads testsuite at 193e551 still carries the 1.0 rule of one table; WebAssembly 2.0 (reference types) allows several";

    private const string MultiMemory =
        "uses two memories (the multi-memory proposal), which this engine does not support: at most one memory, as in WebAssembly 2.0";

    private const string Memory64 =
        "uses a 64-bit memory (the memory64 proposal), which this engine decodes but does not support";

    private static readonly Dictionary<(string Script, int Line), string> Reasons = new()
    {
        [("proposals/threads/imports", 24)] = CompactImports,
        [("proposals/threads/imports", 208)] = CompactImports,
        [("proposals/threads/imports", 310)] = CompactImports,
        [("proposals/threads/imports", 405)] = CompactImports,
        [("proposals/threads/imports", 586)] = CompactImports,
        [("proposals/threads/imports", 314)] = SingleTable,
        [("proposals/threads/imports", 318)] = SingleTable,
        [("proposals/custom-page-sizes/custom-page-sizes", 60)] = MultiMemory,
        [("proposals/custom-page-sizes/custom-page-sizes", 96)] = MultiMemory,
        [("proposals/custom-page-sizes/custom-page-sizes-invalid", 97)] = MultiMemory,
        [("proposals/custom-page-sizes/memory_max_i64", 4)] = Memory64,
        [("proposals/custom-page-sizes/memory_max_i64", 9)] = Memory64,
        [("proposals/custom-page-sizes/memory_max_i64", 13)] = Memory64,
        [("proposals/custom-page-sizes/memory_max_i64", 18)] = Memory64,
    };

    /// <summary>The reason command <paramref name="line"/> of <paramref name="script"/> (e.g. <c>core/i32</c>) is excepted, or null.</summary>
    public static string? ReasonFor(string script, int line) => Reasons.GetValueOrDefault((script, line));
}

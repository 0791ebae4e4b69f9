namespace Sandbox.Fuzz.Tests.Mutation;

/// <summary>
/// Validity differences from Wasmtime 50 that are feature-set choices, not bugs, each with why.
/// A mutant whose disagreement matches one of these is counted, not reported.
/// </summary>
public static class KnownDifferences
{
    /// <summary>Wasmtime's error when it rejects and we accept.</summary>
    private static readonly (string Message, string Reason)[] WeAccept =
    [
        // EngineOptions.Features: shared memories and custom page sizes are always decoded and
        // validated as types in our engine; Wasmtime needs its threads / custom-page-sizes switches.
        ("threads must be enabled for shared memories", "shared memory types are always accepted"),
        ("custom page sizes proposal must be enabled", "custom page sizes are always accepted"),
    ];

    /// <summary>Our error when we reject and Wasmtime accepts.</summary>
    private static readonly (string Message, string Reason)[] WeReject =
    [
        // memory64 and table64 (limits flags 0x04-0x07, 64-bit limits) are on in Wasmtime 50 and
        // its C API has no switch to turn them off; our engine implements WebAssembly 2.0 without them.
        ("malformed limits flags", "memory64 / table64 limits flags"),
        ("memory64 is not supported", "memory64"),
        ("integer representation too long", "a 64-bit limit read as 32-bit (memory64 / table64)"),
        // WebAssembly 2.0 encodes the memory of memory.size, grow, fill, copy and init as one 0x00
        // byte (binary.wast: a multi-byte 0 is malformed, "zero byte expected"); wasmparser reads a
        // LEB128 memory index, the multi-memory and 3.0 encoding, even with multi-memory off.
        ("zero byte expected", "a memory index written as a multi-byte LEB128 zero (the multi-memory encoding)"),
        // EngineLimits.MaxTableElements: a table's initial size is bounded by the JS API's
        // implementation limit (10,000,000 elements), as V8 bounds it; Wasmtime's validator takes
        // any 32-bit minimum and leaves the allocation to instantiation.
        ("table too large", "a table minimum over the JS API's 10,000,000-element limit"),
        // 2.0 writes a reference type as one byte (0x70 funcref, 0x6F externref); 0x63 0x70,
        // (ref null func) in the typed function references encoding of 3.0, is the same type, and
        // wasmparser takes it with function references off; WABT and we reject it as 2.0 does.
        ("malformed reference type", "funcref written as (ref null func), 0x63 0x70: the 3.0 encoding"),
    ];

    /// <summary>The reason a disagreement is expected, or null when it is a finding.</summary>
    public static string? Explain(string? ours, string? wasmtime)
    {
        if (ours is null && wasmtime is not null)
        {
            foreach (var (message, reason) in WeAccept) if (wasmtime.Contains(message, StringComparison.Ordinal)) return reason;
        }
        if (ours is not null && wasmtime is null)
        {
            foreach (var (message, reason) in WeReject) if (ours.Contains(message, StringComparison.Ordinal)) return reason;
        }
        return null;
    }
}

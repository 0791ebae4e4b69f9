namespace Sandbox.Engine.Validation;

/// <summary>
/// Proposals beyond WebAssembly 2.0 that validation accepts when asked. Turn one on only when
/// the compiler and runtime support it too: the validator is the gate that keeps unsupported
/// instructions from reaching code generation.
/// </summary>
[Flags]
public enum WasmFeatures
{
    /// <summary>WebAssembly 2.0, fixed-width SIMD included. Shared memories and custom page sizes are always decoded and validated as types.</summary>
    None = 0,

    /// <summary>The threads proposal's 0xFE instructions: atomic loads, stores, read-modify-writes, wait, notify and fence.</summary>
    Threads = 1 << 0,
}

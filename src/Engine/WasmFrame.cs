namespace Sandbox.Engine;

/// <summary>One frame of a Wasm backtrace: the function index and, from the name section, its names.</summary>
public sealed record WasmFrame(string? ModuleName, uint FunctionIndex, string? FunctionName)
{
    /// <summary>As wasmtime prints it: <c>module!name</c> or <c>module!func[12]</c>.</summary>
    public override string ToString() =>
        $"{ModuleName ?? "<module>"}!{FunctionName ?? $"func[{FunctionIndex}]"}";
}

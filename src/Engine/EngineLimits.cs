namespace Sandbox.Engine;

/// <summary>
/// The engine's implementation limits (Spec Appendix 7.2 "Implementation Limitations"), in one
/// place. Where the WebAssembly JS API names a limit ("Implementation-defined Limits", the ones V8,
/// SpiderMonkey and JavaScriptCore share), ours is the same, so a module those engines accept
/// compiles and runs here. A module past a limit fails validation with a
/// <see cref="ValidationException"/> whose message names the limit ("too many functions: 1000001
/// exceeds the limit of 1000000"); the server answers INVALID_ARGUMENT with that message.
/// </summary>
/// <remarks>See docs/limits.md for the table with the error each one gives.</remarks>
public static class EngineLimits
{
    /// <summary>Types in the type section (JS API: 1,000,000).</summary>
    public const int MaxTypes = 1_000_000;

    /// <summary>Functions, imported and defined (JS API: 1,000,000).</summary>
    public const int MaxFunctions = 1_000_000;

    /// <summary>Bytes of one function body, its local declarations included (JS API: 7,654,321).</summary>
    public const int MaxFunctionBodyBytes = 7_654_321;

    /// <summary>Parameters plus declared locals of one function (JS API: 50,000).</summary>
    public const int MaxLocals = 50_000;

    /// <summary>Parameters of a function or block type (JS API: 1,000).</summary>
    public const int MaxParameters = 1_000;

    /// <summary>Results of a function or block type (JS API: 1,000 with multi-value).</summary>
    public const int MaxResults = 1_000;

    /// <summary>Imports (JS API: 100,000).</summary>
    public const int MaxImports = 100_000;

    /// <summary>Exports (JS API: 100,000).</summary>
    public const int MaxExports = 100_000;

    /// <summary>Globals, imported and defined (JS API: 1,000,000).</summary>
    public const int MaxGlobals = 1_000_000;

    /// <summary>Tables, imported and defined (JS API: 100,000).</summary>
    public const int MaxTables = 100_000;

    /// <summary>Data segments (JS API: 100,000).</summary>
    public const int MaxDataSegments = 100_000;

    /// <summary>Element segments (JS API: 10,000,000).</summary>
    public const int MaxElementSegments = 10_000_000;

    /// <summary>
    /// The initial size of a table, in elements (JS API: 10,000,000). A larger declared maximum is
    /// accepted; growth stops at <see cref="EngineOptions.MaxTableElements"/>, by default this.
    /// </summary>
    public const int MaxTableElements = 10_000_000;

    /// <summary>
    /// Values on one function's operand stack at once. Ours, lower than any engine's need: the IL
    /// a function compiles to keeps the operand stack on the evaluation stack, whose depth an IL
    /// method header stores in 16 bits (ECMA-335 II.25.4.3), and a call adds its callee's extra
    /// results and four arguments on top. Compilers keep operand stacks tens deep.
    /// </summary>
    public const int MaxOperandStackDepth = 60_000;

    /// <summary>
    /// Nested calls, guest to guest (host functions calling back continue the count). Deeper
    /// recursion traps with <see cref="TrapCode.CallStackExhausted"/>, as does running out of the
    /// thread's stack before it (frames of many locals).
    /// </summary>
    public const int MaxCallDepth = 100_000;
}

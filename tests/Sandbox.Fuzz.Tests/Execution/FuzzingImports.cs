namespace Sandbox.Fuzz.Tests.Execution;

/// <summary>
/// binaryen's fuzzing host interface (binaryen src/tools/fuzzing: the <c>fuzzing-support</c>
/// module): one logging function per value type, each called with one value and returning nothing.
/// Every runner provides them and records each call as a <c>log</c> trace line.
/// </summary>
public static class FuzzingImports
{
    public const string Module = "fuzzing-support";

    /// <summary>The export that resets the hang limit; runners call it before every other export,
    /// as binaryen's own harness does, so each call gets the full budget.</summary>
    public const string HangLimitInitializer = "hangLimitInitializer";

    /// <summary>Import name → the one parameter's type, in binaryen's text names.</summary>
    public static readonly IReadOnlyDictionary<string, string> Logs = new Dictionary<string, string>
    {
        ["log-i32"] = "i32",
        ["log-i64"] = "i64",
        ["log-f32"] = "f32",
        ["log-f64"] = "f64",
        ["log-v128"] = "v128",
    };
}

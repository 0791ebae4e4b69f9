using Sandbox.Engine.Validation;

namespace Sandbox.Engine;

/// <summary>Engine-wide limits, fixed when a module is compiled or an object created.</summary>
public sealed record EngineOptions
{
    public static EngineOptions Default { get; } = new();

    /// <summary>
    /// The most bytes a memory without a declared maximum can grow to; also the address space
    /// reserved for it. Default 4 GiB, the whole 32-bit range.
    /// </summary>
    public ulong MaxMemoryBytes { get; init; } = 4UL << 30;

    /// <summary>Inaccessible bytes reserved after each memory, a second line of defence behind the bounds checks.</summary>
    public ulong GuardBytes { get; init; } = 64 * 1024;

    /// <summary>The most elements a table can grow to (a larger declared maximum is capped to this).</summary>
    public uint MaxTableElements { get; init; } = EngineLimits.MaxTableElements;

    /// <summary>
    /// Keep every Wasm function a separate machine-code frame (no JIT inlining of one Wasm function
    /// into another), so trap backtraces list every frame. Off by default: inlining small functions
    /// is a large part of the generated code's speed, and a backtrace then omits inlined frames.
    /// </summary>
    public bool CompleteBacktraces { get; init; }

    /// <summary>
    /// Proposals accepted beyond WebAssembly 2.0 when validating. Shared memories and custom page
    /// sizes are always accepted as types; <see cref="WasmFeatures.Threads"/> adds the atomic
    /// instructions (0xFE).
    /// </summary>
    public WasmFeatures Features { get; init; }

    /// <summary>
    /// Compile fuel metering in: every function entry and every loop iteration costs one unit of the
    /// call's <see cref="CallOptions.Fuel"/>, and running out traps with <see cref="TrapCode.OutOfFuel"/>.
    /// A deterministic budget (the same module and arguments always stop at the same point), at the
    /// price of a counter update on those paths. Off by default.
    /// </summary>
    public bool ConsumeFuel { get; init; }

    /// <summary>
    /// Have RyuJIT compile the module's functions to machine code on background threads as soon
    /// as the module is compiled, in the order a run is likely to call them, instead of each on its
    /// first call only. A large program's first run then spends little of its time waiting for the
    /// JIT. The threads run at the guest threads' low priority and take the newest module first;
    /// the machine code is what <see cref="Module.CodeBytes"/> already counts. On by default; off,
    /// a function that is never called is never compiled to machine code.
    /// </summary>
    public bool BackgroundCompilation { get; init; } = true;

    /// <summary>
    /// A function whose estimated IL passes this is compiled as several methods (Compilation.
    /// FunctionSplitter): internal, for tests that split small functions.
    /// </summary>
    internal int SplitCost { get; init; } = Compilation.FunctionSplitter.SplitCost;

    /// <summary>What each method of a split function is kept to: internal, as <see cref="SplitCost"/>.</summary>
    internal int PartCost { get; init; } = Compilation.FunctionSplitter.PartCost;
}

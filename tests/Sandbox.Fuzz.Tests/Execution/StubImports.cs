using Sandbox.Engine;
using Wasmtime;
using EngineValueType = Sandbox.Engine.ValueType;

namespace Sandbox.Fuzz.Tests.Execution;

/// <summary>
/// Imports for a module that names its own (a mutated spec module imports spectest's, or whatever
/// the mutation left), made alike in both engines from its import section: a function writes
/// <c>host MODULE.NAME ARGS</c> to the trace and returns zeros; a global holds zero (or null) with the
/// imported mutability; a memory or table has exactly the imported limits.
/// </summary>
public sealed class StubImports
{
    /// <summary>Largest imported memory stubbed, in 64 KiB pages: an exported memory is hashed at the end.</summary>
    public const ulong MaxMemoryPages = 256;

    /// <summary>Largest imported table stubbed, in elements.</summary>
    public const ulong MaxTableElements = 100_000;

    private readonly Sandbox.Engine.Module module;

    private StubImports(Sandbox.Engine.Module module) => this.module = module;

    /// <summary>
    /// The stubs for <paramref name="module"/>'s imports; null when they cannot be made alike in
    /// both engines: a name imported twice, or a memory, table or global type this harness leaves
    /// alone (shared, 64-bit or custom-page-size memories, which Wasmtime's configuration refuses;
    /// memories and tables too large to hash or fill).
    /// </summary>
    public static StubImports? For(Sandbox.Engine.Module module)
    {
        var names = new HashSet<(string, string)>();
        foreach (var import in module.Imports)
        {
            if (!names.Add((import.Module, import.Name))) return null;
            var supported = import.Kind switch
            {
                ExternalKind.Function => true,
                ExternalKind.Memory => import.Memory is { Shared: false, Is64: false, PageSizeLog2: MemoryType.DefaultPageSizeLog2 } memory
                    && memory.Limits.Minimum <= MaxMemoryPages,
                ExternalKind.Table => import.Table!.Limits.Minimum <= MaxTableElements && import.Table.Limits.Maximum is null or <= uint.MaxValue,
                ExternalKind.Global => true,
                _ => false,
            };
            if (!supported) return null;
        }
        return new StubImports(module);
    }

    /// <summary>Defines the stubs in our engine's linker, writing host calls to <paramref name="trace"/>.</summary>
    public void DefineIn(Sandbox.Engine.Linker linker, Trace trace)
    {
        foreach (var import in module.Imports)
        {
            switch (import.Kind)
            {
                case ExternalKind.Function:
                    var type = module.Definition.Types[import.TypeIndex];
                    var line = $"host {import.Module}.{import.Name}";
                    linker.DefineFunction(import.Module, import.Name, type, (arguments, results) =>
                    {
                        var call = line;
                        foreach (var argument in arguments) call += " " + Token(argument);
                        trace.Add(call);
                        for (var i = 0; i < results.Length; i++) results[i] = Value.Default(type.Results[i]);
                    });
                    break;
                case ExternalKind.Memory:
                    linker.Define(import.Module, import.Name, new Sandbox.Engine.Memory(import.Memory!));
                    break;
                case ExternalKind.Table:
                    linker.Define(import.Module, import.Name, new Sandbox.Engine.Table(import.Table!));
                    break;
                case ExternalKind.Global:
                    linker.Define(import.Module, import.Name, new Sandbox.Engine.Global(import.Global!, Value.Default(import.Global!.ValueType)));
                    break;
            }
        }
    }

    /// <summary>Defines the same stubs in Wasmtime's linker, for <paramref name="store"/>.</summary>
    public void DefineIn(Wasmtime.Linker linker, Store store, Trace trace)
    {
        foreach (var import in module.Imports)
        {
            switch (import.Kind)
            {
                case ExternalKind.Function:
                    var type = module.Definition.Types[import.TypeIndex];
                    var parameters = type.Parameters.Select(KindOf).ToArray();
                    var results = type.Results.Select(KindOf).ToArray();
                    var line = $"host {import.Module}.{import.Name}";
                    linker.DefineFunction(import.Module, import.Name, (Caller _, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> outputs) =>
                    {
                        var call = line;
                        for (var i = 0; i < arguments.Length; i++) call += " " + Token(parameters[i], arguments[i]);
                        trace.Add(call);
                        for (var i = 0; i < outputs.Length; i++) outputs[i] = WasmtimeRunner.Zero(results[i]);
                    }, parameters, results);
                    break;
                case ExternalKind.Memory:
                    var limits = import.Memory!.Limits;
                    linker.Define(import.Module, import.Name, new Wasmtime.Memory(store, (long)limits.Minimum, limits.Maximum is { } max ? (long)max : null));
                    break;
                case ExternalKind.Table:
                    var table = import.Table!;
                    var kind = table.ElementType == EngineValueType.FuncRef ? TableKind.FuncRef : TableKind.ExternRef;
                    object? empty = kind == TableKind.FuncRef ? Wasmtime.Function.Null : null;
                    linker.Define(import.Module, import.Name, new Wasmtime.Table(store, kind, empty, (uint)table.Limits.Minimum, (uint)(table.Limits.Maximum ?? uint.MaxValue)));
                    break;
                case ExternalKind.Global:
                    var global = import.Global!;
                    var valueKind = KindOf(global.ValueType);
                    linker.Define(import.Module, import.Name, new Wasmtime.Global(store, valueKind, Initial(valueKind), global.Mutable ? Mutability.Mutable : Mutability.Immutable));
                    break;
            }
        }
    }

    // The global's zero as Wasmtime's Global constructor takes it.
    private static object? Initial(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => 0,
        ValueKind.Int64 => 0L,
        ValueKind.Float32 => 0f,
        ValueKind.Float64 => 0d,
        ValueKind.V128 => new V128(new byte[16]),
        ValueKind.FuncRef => Wasmtime.Function.Null,
        _ => null,
    };

    private static ValueKind KindOf(EngineValueType type) => type switch
    {
        EngineValueType.I32 => ValueKind.Int32,
        EngineValueType.I64 => ValueKind.Int64,
        EngineValueType.F32 => ValueKind.Float32,
        EngineValueType.F64 => ValueKind.Float64,
        EngineValueType.V128 => ValueKind.V128,
        EngineValueType.FuncRef => ValueKind.FuncRef,
        _ => ValueKind.ExternRef,
    };

    // Arguments as the trace writes values; a reference by its type alone (nullness would need the
    // store's view of a Wasmtime box).
    private static string Token(Value value) => value.Type.IsReference() ? value.Type.ToWat() : SandboxRunner.Token(value);

    private static string Token(ValueKind kind, ValueBox value) => kind switch
    {
        ValueKind.Int32 => Trace.I32((uint)value.AsInt32()),
        ValueKind.Int64 => Trace.I64((ulong)value.AsInt64()),
        ValueKind.Float32 => Trace.F32(BitConverter.SingleToUInt32Bits(value.AsSingle())),
        ValueKind.Float64 => Trace.F64(BitConverter.DoubleToUInt64Bits(value.AsDouble())),
        ValueKind.V128 => Trace.V128(value.AsV128().AsSpan()),
        ValueKind.FuncRef => "funcref",
        _ => "externref",
    };
}

using Sandbox.Engine.Binary;
using Sandbox.Engine.Compilation;
using Sandbox.Engine.Validation;

namespace Sandbox.Engine;

/// <summary>
/// A decoded, validated and compiled module (Spec 2.5): immutable, thread-safe, shared by all of
/// its instances. Its generated code is unloaded once the module and its instances are unreachable.
/// </summary>
public sealed class Module
{
    private Module(ModuleDefinition definition, EngineOptions options)
    {
        Definition = definition;
        Options = options;
        try
        {
            Code = ModuleCompiler.Compile(definition, this, out var jitOrder);
            if (options.BackgroundCompilation) BackgroundJit.Enqueue(this, Code, jitOrder);
        }
        catch (OutOfMemoryException)
        {
            throw new ResourceLimitException("compiling the module ran out of memory", "process memory");
        }
        catch (Exception e) when (e is not WasmException)
        {
            // A valid module within EngineLimits always compiles; this is a limit of the code
            // generator that EngineLimits missed (a bug to report), refused like a limit.
            throw new ValidationException($"the module exceeds an implementation limit of the compiler ({e.GetType().Name}: {e.Message})", 0);
        }
    }

    /// <summary>The decoded module: types, imports, exports, segments, names.</summary>
    public ModuleDefinition Definition { get; }

    /// <summary>The name from the name section, if any.</summary>
    public string? Name => Definition.Names?.ModuleName;

    public IReadOnlyList<Import> Imports => Definition.Imports;

    public IReadOnlyList<Export> Exports => Definition.Exports;

    /// <summary>
    /// An estimate of the memory the module's compiled code holds, in bytes, for charging it to
    /// whoever compiled it: metadata and runtime structures per method, the IL, and machine code
    /// for every function as if all were already jitted (the JIT compiles each on its first call).
    /// Held until the module, its instances and their functions are unreachable; then the code's
    /// collectible assembly is unloaded.
    /// </summary>
    /// <remarks>
    /// The figures behind it were measured on x64 RyuJIT (see <see cref="Compilation.CodeSize"/>);
    /// it does not include the module's decoded definition or its instances' memories and tables.
    /// </remarks>
    public long CodeBytes => Code.Bytes;

    internal EngineOptions Options { get; }

    internal CompiledCode Code { get; }

    // The stubs of the function types the host has called this module's functions by, held as
    // long as the module is, so new instances of a cached module find them built.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<FuncType, Compilation.SignatureStubs> stubs = new();

    /// <summary>The host-call stubs for one of this module's function types (<see cref="Compilation.SignatureStubs"/>).</summary>
    internal Compilation.SignatureStubs StubsFor(FuncType type) =>
        stubs.TryGetValue(type, out var found) ? found : stubs.GetOrAdd(type, Compilation.SignatureStubs.Get);

    /// <summary>Decodes, validates and compiles a module binary.</summary>
    /// <exception cref="DecodeException">The binary is malformed.</exception>
    /// <exception cref="ValidationException">The module is invalid, or past one of <see cref="EngineLimits"/>.</exception>
    /// <exception cref="ResourceLimitException">The process ran out of memory compiling it.</exception>
    public static Module FromBytes(ReadOnlyMemory<byte> binary, EngineOptions? options = null)
    {
        options ??= EngineOptions.Default;
        var definition = ModuleReader.Read(binary);
        Validator.Validate(definition, options.Features, options.SplitCost);
        return new Module(definition, options);
    }

    /// <summary>Reads, decodes, validates and compiles a <c>.wasm</c> file.</summary>
    public static Module FromFile(string path, EngineOptions? options = null) => FromBytes(File.ReadAllBytes(path), options);
}

using System.Runtime.CompilerServices;
using Sandbox.Engine.Runtime;
using Sandbox.Engine.Tests.Support;
using static Sandbox.Engine.Tests.Support.WasmBuilder;

namespace Sandbox.Engine.Tests.Runtime;

/// <summary>
/// Issue 13 item 5, engine side: compiled code is counted (<see cref="Module.CodeBytes"/>) and
/// released once nothing uses it: the collectible assembly unloads and the type registry lets go
/// of the module's types.
/// </summary>
[Collection(nameof(TypeRegistryCollection))]
public class ModuleCodeTests
{
    [Fact]
    public void CodeBytes_MoreFunctions_GrowsWithThem()
    {
        var small = Module.FromBytes(Functions(10, bodyBytes: 2));
        var large = Module.FromBytes(Functions(1_000, bodyBytes: 2));
        var long_ = Module.FromBytes(Functions(10, bodyBytes: 2_000));

        Assert.True(small.CodeBytes > 0);
        Assert.True(large.CodeBytes > 50 * small.CodeBytes / 10, $"{large.CodeBytes} vs {small.CodeBytes}");
        Assert.True(long_.CodeBytes > small.CodeBytes + 10 * 2_000, $"{long_.CodeBytes} vs {small.CodeBytes}");
    }

    [Fact]
    public void Module_NoLongerReferenced_UnloadsItsCode()
    {
        // Five modules compiled, called and dropped one after the other. In a Release build run
        // alone, the one called last can stay loaded (docs/limits.md: tiered PGO's probes in the
        // engine's call path seem to hold what they saw last); every earlier one must unload.
        var code = Enumerable.Range(0, 5).Select(_ => CompileCallAndDrop()).ToList();

        for (var i = 0; i < 20 && code.Count(c => c.IsAlive) > 1; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        var loaded = code.Select((c, i) => (c, i)).Where(x => x.c.IsAlive).Select(x => x.i).ToList();
        Assert.True(loaded.Count == 0 || loaded.SequenceEqual([code.Count - 1]), $"modules still loaded: {string.Join(", ", loaded)} of 0-{code.Count - 1}");
    }

    [Fact]
    public void TypeRegistry_ModulesDropped_ForgetsTheirTypes()
    {
        TypeRegistry.Sweep();
        var before = TypeRegistry.Count;

        CompileUniqueTypesAndDrop(5_000);
        var registered = TypeRegistry.Count;
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        TypeRegistry.Sweep();

        Assert.True(registered >= before + 5_000, $"{registered} entries after compiling, {before} before");
        Assert.True(TypeRegistry.Count <= before, $"{TypeRegistry.Count} entries after the modules went, {before} before");
    }

    [Fact]
    public void TypeRegistry_InvalidModule_RegistersNothing()
    {
        TypeRegistry.Sweep();
        var before = TypeRegistry.Count;

        Assert.Throws<ValidationException>(() => Module.FromBytes(UniqueTypes(seed: 7, count: 5_000, valid: false)));

        Assert.Equal(before, TypeRegistry.Count);
    }

    [Fact]
    public void CallIndirect_SameStructureFromTwoModules_Matches()
    {
        // Two modules each declare (i32) -> i32; module b calls a's function through its table.
        var a = new WasmBuilder();
        var aType = a.AddType([I32], [I32]);
        a.ExportFunction("double", a.AddFunction(aType, [], [0x20, 0x00, 0x20, 0x00, 0x6A]));
        var exporter = new Linker().Instantiate(Module.FromBytes(a.Build()));
        var b = new WasmBuilder();
        b.AddType([], []);
        var bType = b.AddType([I32], [I32]);
        var imported = b.ImportFunction("a", "double", bType);
        b.AddTable(1, 1);
        b.AddElements(0, imported);
        b.ExportFunction("f", b.AddFunction(bType, [], [0x20, 0x00, 0x41, 0x00, 0x11, .. U32(bType), 0x00]));
        var linker = new Linker().Define("a", "double", exporter.GetFunction("double")!);

        var result = linker.Instantiate(Module.FromBytes(b.Build())).GetFunction("f")!.Invoke(21);

        Assert.Equal(42, result[0].AsI32());
    }

    [Fact]
    public void SignatureStubs_FunctionsOfNewSignaturesCalledAndDropped_AreCollected()
    {
        // Every Invoke from the host needs a stub for the function's signature, and a module may
        // declare any: fifty of them, (f64 x k, i64) -> i64, no other test uses. Built as Invoke
        // builds them (Module.StubsFor) but not called: in a Release build run alone, tiered PGO's
        // tier-0 probes in the engine's call path keep what they last saw reachable, which would
        // hold the last module called whatever the cache does (Module_NoLongerReferenced shares
        // that: it passes in the whole suite, where other calls come after).
        var stubs = StubsOfNewSignaturesDropped(first: 7, count: 50);
        // The cache keeps the last RecentlyBuilt alive by itself: as many more, of other types.
        PushOutOfTheRecentStubs();

        for (var i = 0; i < 20 && stubs.Any(s => s.IsAlive); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.Equal(0, stubs.Count(s => s.IsAlive));
    }

    [Fact]
    public void SignatureStubs_ModuleKeptAndCalledAgain_ReusesItsStubs()
    {
        var builder = new WasmBuilder();
        var type = builder.AddType([F64, F64, F64, I64], [I64]);
        builder.ExportFunction("f", builder.AddFunction(type, [], [0x20, 0x03]));
        var module = Module.FromBytes(builder.Build());
        Value[] arguments = [Value.FromF64(1), Value.FromF64(2), Value.FromF64(3), Value.FromI64(9)];
        Assert.Equal(9, new Linker().Instantiate(module).GetFunction("f")!.Invoke(arguments)[0].AsI64());
        var first = module.StubsFor(module.Definition.Types[(int)type]);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Equal(9, new Linker().Instantiate(module).GetFunction("f")!.Invoke(arguments)[0].AsI64());

        Assert.Same(first, module.StubsFor(module.Definition.Types[(int)type]));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void PushOutOfTheRecentStubs()
    {
        for (var k = 1; k <= Compilation.SignatureStubs.RecentlyBuilt; k++)
        {
            Compilation.SignatureStubs.Get(new FuncType([.. Enumerable.Repeat(ValueType.I64, k)], [ValueType.F32, ValueType.F32]));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<WeakReference> StubsOfNewSignaturesDropped(int first, int count)
    {
        var stubs = new List<WeakReference>();
        for (var k = first; k < first + count; k++)
        {
            var builder = new WasmBuilder();
            var type = builder.AddType([.. Enumerable.Repeat(F64, k), I64], [I64]);
            builder.ExportFunction("f", builder.AddFunction(type, [], [0x20, .. U32((uint)k)]));
            var module = Module.FromBytes(builder.Build());
            stubs.Add(new WeakReference(module.StubsFor(module.Definition.Types[(int)type])));
        }
        return stubs;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference CompileCallAndDrop()
    {
        // Without background compilation: a JIT worker compiling one of the module's methods
        // holds its type until that method is done, which on a loaded machine outlasts the
        // collections below (BackgroundJitTests covers unloading with it).
        var module = Module.FromBytes(Functions(100, bodyBytes: 2), new EngineOptions { BackgroundCompilation = false });
        var instance = new Linker().Instantiate(module);
        Assert.Equal(7, instance.GetFunction("f")!.Invoke()[0].AsI32());
        return new WeakReference(module.Code.Types[0]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CompileUniqueTypesAndDrop(int count)
    {
        var module = Module.FromBytes(UniqueTypes(seed: 3, count, valid: true), new EngineOptions { BackgroundCompilation = false }); // as CompileCallAndDrop
        new Linker().Instantiate(module).Dispose();
    }

    // `count` functions () -> i32 of about `bodyBytes` bytes of instructions ((i32.const 1) drop,
    // then i32.const 7); the first exported as f.
    private static byte[] Functions(int count, int bodyBytes)
    {
        var builder = new WasmBuilder();
        var type = builder.AddType([], [I32]);
        var code = new List<byte>();
        while (code.Count + 3 < bodyBytes) code.AddRange([0x41, 0x01, 0x1A]);
        code.AddRange([0x41, 0x07]);
        for (var i = 0; i < count; i++) builder.AddFunction(type, [], [.. code]);
        builder.ExportFunction("f", 0);
        return builder.Build();
    }

    // `count` structurally distinct types (i32/i64 parameters spelling out a number, then an f32 and an f64),
    // and one function; `valid: false` gives it a body that fails validation.
    internal static byte[] UniqueTypes(int seed, int count, bool valid)
    {
        var builder = new WasmBuilder();
        for (var i = 0; i < count; i++)
        {
            var parameters = new List<byte>();
            for (var n = seed * count + i + 1; n > 0; n >>= 1) parameters.Add((n & 1) == 1 ? I64 : I32);
            parameters.AddRange([F32, F64, F64]);
            builder.AddType([.. parameters], []);
        }
        builder.AddFunction(builder.AddType([], []), [], valid ? [] : [0x6A]);
        return builder.Build();
    }
}

/// <summary>Tests that count <see cref="TypeRegistry"/> entries run one at a time.</summary>
[CollectionDefinition(nameof(TypeRegistryCollection), DisableParallelization = true)]
public class TypeRegistryCollection;

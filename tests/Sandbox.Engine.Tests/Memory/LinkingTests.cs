using Sandbox.Engine.Tests.Support;

// Namespace named after issue 4 ("memory model"): "Memory" would hide the Sandbox.Engine.Memory type.
namespace Sandbox.Engine.Tests.MemoryModel;

/// <summary>Linking by instance name (wazero's registration names, wasmtime's --preload): one memory seen by several modules.</summary>
public class LinkingTests
{
    private const string Provider = """
        (module
          (memory (export "memory") 102 65536 shared)
          (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1))))
        """;

    private const string Main = """
        (module
          (import "env" "memory" (memory 1 65536 shared))
          (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "size") (result i32) (memory.size)))
        """;

    [WatFact]
    public void Instantiate_ImportFromInstanceRegisteredAsEnv_SeesTheProvidersBytes()
    {
        var linker = new Linker();
        var provider = linker.Instantiate(Module.FromBytes(Wat.ToWasm(Provider, "--enable-threads")));
        linker.DefineInstance("env", provider);

        var main = linker.Instantiate(Module.FromBytes(Wat.ToWasm(Main, "--enable-threads")));
        provider.GetFunction("store")!.Invoke(6_000_000, 0x5A5A);

        Assert.Same(provider.GetMemory("memory"), linker.Get("env", "memory"));
        Assert.Equal(0x5A5A, main.GetFunction("load")!.Invoke(6_000_000)[0].AsI32());
        Assert.Equal(102, main.GetFunction("size")!.Invoke()[0].AsI32());
    }

    [WatFact]
    public void MemoryGrow_InOneImporter_IsSeenByTheProviderAndOtherImporters()
    {
        var linker = new Linker();
        var provider = linker.Instantiate(Module.FromBytes(Wat.ToWasm(Provider, "--enable-threads")));
        linker.DefineInstance("env", provider);
        var module = Module.FromBytes(Wat.ToWasm(Main, "--enable-threads"));
        var first = linker.Instantiate(module);
        var second = linker.Instantiate(module);

        Assert.Equal(102, first.GetFunction("grow")!.Invoke(2)[0].AsI32());
        provider.GetFunction("store")!.Invoke(103 * 65536, 7); // in the second new page

        Assert.Equal(104, second.GetFunction("size")!.Invoke()[0].AsI32());
        Assert.Equal(7, second.GetFunction("load")!.Invoke(103 * 65536)[0].AsI32());
        Assert.Equal(104UL, provider.GetMemory("memory")!.Size);
    }

    [WatFact]
    public void Instantiate_SharedImportGivenUnsharedMemory_IsIncompatible()
    {
        var linker = new Linker();
        linker.Define("env", "memory", new Memory(new MemoryType(new Limits(1, 65536))));

        var error = Assert.Throws<LinkException>(() => linker.Instantiate(Module.FromBytes(Wat.ToWasm(Main, "--enable-threads"))));

        Assert.Contains("incompatible import type: import env.memory: expected a shared memory", error.Message);
    }
}

using Sandbox.Engine.Runtime;

namespace Sandbox.Engine;

/// <summary>
/// Resolves a module's imports by (module name, field name) from host functions and other
/// instances' exports, and instantiates (the wasmtime/wazero pattern: register an instance under a
/// name such as <c>env</c> and later modules import from it).
/// </summary>
public sealed class Linker
{
    private readonly Dictionary<(string Module, string Name), Extern> definitions = new();

    /// <summary>Defines <paramref name="item"/> as <paramref name="module"/>.<paramref name="name"/>, replacing any earlier definition.</summary>
    public Linker Define(string module, string name, Extern item)
    {
        ArgumentNullException.ThrowIfNull(item);
        definitions[(module, name)] = item;
        return this;
    }

    /// <summary>Defines a host function.</summary>
    public Linker DefineFunction(string module, string name, FuncType type, HostCallback callback) =>
        Define(module, name, Function.FromCallback(type, callback));

    /// <summary>
    /// Makes every export of <paramref name="instance"/> importable under <paramref name="module"/>
    /// (wazero's registration name, wasmtime's <c>--preload NAME=FILE</c>): later instances importing
    /// <c>module.x</c> get the very same function, table, memory or global object, so a memory is
    /// shared rather than copied. Exports defined earlier under the same name are replaced one by one.
    /// </summary>
    public Linker DefineInstance(string module, Instance instance)
    {
        foreach (var (name, item) in instance.Exports) definitions[(module, name)] = item;
        return this;
    }

    /// <summary>The definition of <paramref name="module"/>.<paramref name="name"/>, or null.</summary>
    public Extern? Get(string module, string name) => definitions.GetValueOrDefault((module, name));

    /// <summary>The externs for <paramref name="module"/>'s imports, in import order.</summary>
    /// <exception cref="LinkException">"unknown import" for a missing one; "incompatible import type" for a mismatch.</exception>
    public Extern[] Resolve(Module module)
    {
        var imports = module.Definition.Imports;
        var resolved = new Extern[imports.Length];
        for (var i = 0; i < imports.Length; i++)
        {
            var import = imports[i];
            if (!definitions.TryGetValue((import.Module, import.Name), out var item))
            {
                throw new LinkException($"unknown import: {import.Module}.{import.Name} has not been defined");
            }
            if (ImportMatcher.Mismatch(module.Definition, import, item) is { } reason)
            {
                throw new LinkException($"incompatible import type: import {import.Module}.{import.Name}: {reason}");
            }
            resolved[i] = item;
        }
        return resolved;
    }

    /// <summary>Resolves the imports and instantiates <paramref name="module"/> with <paramref name="options"/> (limiter, allocator, start function limits).</summary>
    public Instance Instantiate(Module module, InstanceOptions? options = null) => new(module, Resolve(module), options);
}

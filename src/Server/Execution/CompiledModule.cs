using Sandbox.Engine;
using Sandbox.Server.Internal;
using Sandbox.V1;

namespace Sandbox.Server.Execution;

/// <summary>A module validated, compiled and cached for one tenant under its SHA-256.</summary>
internal sealed class CompiledModule
{
    public CompiledModule(string id, Engine.Module module, ulong sizeBytes, TimeSpan compileDuration)
    {
        Id = id;
        Module = module;
        SizeBytes = sizeBytes;
        CompileDuration = compileDuration;
        Imports = [.. module.Imports.Select(i => Descriptors.ToImport(module.Definition, i))];
        Exports = [.. module.Exports.Select(e => Descriptors.ToExport(module.Definition, e))];
        EstimatedBytes = Footprint.DefinedBytes(module.Definition);
    }

    /// <summary>The SHA-256 of the binary, 64 lower-case hex digits.</summary>
    public string Id { get; }

    public Engine.Module Module { get; }

    public ulong SizeBytes { get; }

    public TimeSpan CompileDuration { get; }

    public ImportDescriptor[] Imports { get; }

    public ExportDescriptor[] Exports { get; }

    /// <summary>What a fresh instance of the module allocates: its own memories and tables at their minimum.</summary>
    public ulong EstimatedBytes { get; }
}

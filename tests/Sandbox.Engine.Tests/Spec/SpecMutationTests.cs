using Sandbox.Engine.Binary;
using Sandbox.Engine.Validation;

namespace Sandbox.Engine.Tests.Spec;

/// <summary>
/// Uploads are untrusted: whatever the bytes, decoding and validation must end in a
/// <see cref="WasmException"/> or succeed, never in another exception (index out of range,
/// overflow, out of memory) that would escape as a host failure. The spec's valid modules,
/// mutated deterministically, are the inputs.
/// </summary>
public sealed class SpecMutationTests
{
    private const int MutationsPerModule = 40;

    [SpecTheory]
    [MemberData(nameof(SpecScripts.Core), MemberType = typeof(SpecScripts))]
    public void ReadAndValidate_MutatedModules_ThrowOnlyWasmExceptions(string name)
    {
        var script = SpecDirectory.Load("core", name);
        var random = new Random(StableSeed(name)); // reproducible: a failure names the same bytes every run
        var escaped = new List<string>();
        foreach (var module in script.Commands.OfType<ModuleCommand>())
        {
            var original = script.ReadModule(module.FileName);
            for (var i = 0; i < MutationsPerModule; i++)
            {
                var mutated = Mutate(original, random);
                try
                {
                    Validator.Validate(ModuleReader.Read(mutated));
                }
                catch (WasmException)
                {
                    // Rejected properly: what the test is for.
                }
                catch (Exception e)
                {
                    escaped.Add($"{module.FileName} mutation {i}: {e.GetType().Name}: {e.Message}\n  bytes: {Convert.ToHexString(mutated)}");
                }
            }
        }

        Assert.True(escaped.Count == 0, string.Join('\n', escaped.Take(5)));
    }

    // string.GetHashCode is randomized per process; FNV-1a is not.
    private static int StableSeed(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return (int)hash;
    }

    /// <summary>One to four byte-level edits: overwrite, insert, delete, or an extreme LEB128-ish byte.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits && bytes.Count > 8; e++)
        {
            // Keep the 8-byte header mostly intact so mutations reach the sections.
            var at = random.Next(8, bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes[at] = random.Next(2) == 0 ? (byte)0xFF : (byte)0x80;
                    break;
            }
        }
        return [.. bytes];
    }
}

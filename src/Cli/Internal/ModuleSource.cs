using System.Buffers;
using Google.Protobuf;

namespace Sandbox.Cli.Internal;

/// <summary>
/// A module as the user names it on the command line: a path to a <c>.wasm</c> file, or the
/// 64-hex-digit id CompileModule returned.
/// </summary>
internal readonly record struct ModuleSource(string? ModuleId, ByteString? Wasm)
{
    private const int ModuleIdLength = 64; // SHA-256 in hex
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    public static async Task<ModuleSource> ResolveAsync(string text, CancellationToken cancellationToken)
    {
        if (File.Exists(text))
        {
            return new ModuleSource(null, ByteString.CopyFrom(await File.ReadAllBytesAsync(text, cancellationToken).ConfigureAwait(false)));
        }
        if (IsModuleId(text))
        {
            return new ModuleSource(text, null);
        }
        throw new FileNotFoundException($"'{text}' is neither a file nor a module id (64 lower-case hex digits).");
    }

    public static bool IsModuleId(string text) => text.Length == ModuleIdLength && !text.AsSpan().ContainsAnyExcept(LowerHex);
}

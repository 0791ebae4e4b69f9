using System.IO.Compression;
using Grpc.Net.Compression;

namespace Sandbox.Server.Internal;

/// <summary>
/// A request compression provider (gzip, deflate) whose decompression answers compressed bytes
/// that do not inflate with INVALID_ARGUMENT: grpc-dotnet inflates a request before reading it
/// and answers the <see cref="InvalidDataException"/> of a corrupt stream as a handler's exception,
/// UNKNOWN, logged at Error with its stack. Responses are compressed by the wrapped provider as before.
/// </summary>
internal sealed class ParsingCompressionProvider(ICompressionProvider inner) : ICompressionProvider
{
    /// <inheritdoc/>
    public string EncodingName => inner.EncodingName;

    /// <summary>Every provider of <paramref name="providers"/>, wrapped (once).</summary>
    public static void WrapAll(IList<ICompressionProvider> providers)
    {
        for (var i = 0; i < providers.Count; i++)
        {
            if (providers[i] is not ParsingCompressionProvider) providers[i] = new ParsingCompressionProvider(providers[i]);
        }
    }

    /// <inheritdoc/>
    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) => inner.CreateCompressionStream(stream, compressionLevel);

    /// <inheritdoc/>
    public Stream CreateDecompressionStream(Stream stream) => new ParsingDecompressionStream(inner.CreateDecompressionStream(stream), inner.EncodingName);
}

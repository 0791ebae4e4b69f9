using System.Text;
using Google.Protobuf;
using Sandbox.V1;

namespace Sandbox.Cli.Internal;

/// <summary>
/// A WASI guest's stdout and stderr made this tool's: its bytes as they are to the console's own
/// streams (opened once, flushed after every chunk so that streamed output shows as it arrives),
/// or decoded as UTF-8 text to writers a caller gave (tests capture the output). The decoders
/// keep state, so a character split between two streamed chunks is not mangled.
/// </summary>
internal sealed class GuestOutput(TextWriter output, TextWriter error) : IAsyncDisposable
{
    private readonly Channel stdout = new(output, Console.Out, Console.OpenStandardOutput);
    private readonly Channel stderr = new(error, Console.Error, Console.OpenStandardError);

    public Task WriteStdoutAsync(ByteString bytes, CancellationToken cancellationToken) => stdout.WriteAsync(bytes, cancellationToken);

    public Task WriteStderrAsync(ByteString bytes, CancellationToken cancellationToken) => stderr.WriteAsync(bytes, cancellationToken);

    /// <summary>Writes the result's captured output (unary calls), then says on stderr what was cut.</summary>
    public async Task WriteResultAsync(WasiResult result, CancellationToken cancellationToken)
    {
        await WriteStdoutAsync(result.Stdout, cancellationToken).ConfigureAwait(false);
        await WriteStderrAsync(result.Stderr, cancellationToken).ConfigureAwait(false);
        await ReportTruncationAsync(result).ConfigureAwait(false);
    }

    /// <summary>Says on stderr which stream the server cut at the tenant's limit.</summary>
    public async Task ReportTruncationAsync(WasiResult result)
    {
        if (result.StdoutTruncated) await error.WriteLineAsync("sandbox: the guest's stdout was cut at the tenant's wasi_output_bytes").ConfigureAwait(false);
        if (result.StderrTruncated) await error.WriteLineAsync("sandbox: the guest's stderr was cut at the tenant's wasi_output_bytes").ConfigureAwait(false);
        await error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await stdout.DisposeAsync().ConfigureAwait(false);
        await stderr.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class Channel(TextWriter writer, TextWriter console, Func<Stream> open) : IAsyncDisposable
    {
        private readonly Decoder decoder = Encoding.UTF8.GetDecoder();
        private Stream? stream;

        public async Task WriteAsync(ByteString bytes, CancellationToken cancellationToken)
        {
            if (bytes.IsEmpty) return;
            if (!ReferenceEquals(writer, console))
            {
                var chars = new char[decoder.GetCharCount(bytes.Span, flush: false)];
                decoder.GetChars(bytes.Span, chars, flush: false);
                await writer.WriteAsync(chars, cancellationToken).ConfigureAwait(false);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            // What this tool printed through the writer goes first.
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream ??= open();
            await stream.WriteAsync(bytes.Memory, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public ValueTask DisposeAsync() => stream?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}

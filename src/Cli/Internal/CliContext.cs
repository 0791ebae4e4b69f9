using Google.Protobuf;
using Sandbox.Client;

namespace Sandbox.Cli.Internal;

/// <summary>What a command's action works with: the client, where to print, and the per-call deadline.</summary>
internal sealed class CliContext(SandboxClient client, TextWriter output, bool json, TimeSpan? timeout, CancellationToken cancellationToken)
{
    // Print every field, defaults included, so that scripts see `"cached": false` rather than nothing.
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public SandboxClient Client { get; } = client;

    public TextWriter Output { get; } = output;

    public bool Json { get; } = json;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>True when --timeout was given.</summary>
    public bool HasTimeout => timeout is not null;

    /// <summary>The deadline for a call starting now, from --timeout; null without one.</summary>
    public DateTime? Deadline => timeout is { } t ? DateTime.UtcNow + t : null;

    /// <summary>Prints a response: as one line of JSON with --json, otherwise through <paramref name="human"/>.</summary>
    public async Task PrintAsync<T>(T message, Action<TextWriter, T> human)
        where T : IMessage
    {
        if (Json)
        {
            await Output.WriteLineAsync(Formatter.Format(message)).ConfigureAwait(false);
        }
        else
        {
            human(Output, message);
        }
        await Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }
}

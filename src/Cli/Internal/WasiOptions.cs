using System.CommandLine;
using Google.Protobuf;
using Sandbox.V1;

namespace Sandbox.Cli.Internal;

/// <summary>
/// The WASI options of <c>execute</c> and <c>instantiate</c>, sandbox.proto's WasiConfig:
/// <c>--wasi --arg A --env NAME=VALUE --stdin FILE --file GUEST=HOST --output GUEST
/// --deterministic --seed N</c>. Any of them but <c>--output</c> implies <c>--wasi</c>.
/// </summary>
internal sealed class WasiOptions
{
    private readonly Option<bool> wasi = new("--wasi") { Description = "Run with WASI preview 1 (implied by the other WASI options and by a module importing wasi_snapshot_preview1)." };
    private readonly Option<string[]> args = new("--arg") { Description = "An argument for the guest, after argv[0] (the module's file name or id) (repeatable).", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string[]> env = new("--env") { Description = "NAME=VALUE: an environment variable for the guest (repeatable).", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string?> stdin = new("--stdin") { Description = "A file the guest reads as stdin ('-' for this tool's stdin). Default: empty." };
    private readonly Option<string[]> files = new("--file") { Description = "GUEST=HOST: put the host file HOST at GUEST in the guest's in-memory filesystem, preopened as / (repeatable).", AllowMultipleArgumentsPerToken = false };
    private readonly Option<bool> deterministic = new("--deterministic") { Description = "Reproducible clocks (starting at the epoch) and random_get (seeded with --seed)." };
    private readonly Option<int> seed = new("--seed") { Description = "The random_get seed with --deterministic. Default 0." };

    public WasiOptions(Command command)
    {
        command.Add(wasi);
        command.Add(args);
        command.Add(env);
        command.Add(stdin);
        command.Add(files);
        command.Add(deterministic);
        command.Add(seed);
    }

    /// <summary>True when any WASI option was given.</summary>
    public bool Given(ParseResult parseResult) =>
        parseResult.GetValue(wasi) || parseResult.GetValue(deterministic) || parseResult.GetValue(stdin) is not null
        || parseResult.GetValue(args) is { Length: > 0 } || parseResult.GetValue(env) is { Length: > 0 } || parseResult.GetValue(files) is { Length: > 0 };

    /// <summary>The configuration given, argv[0] first; reads the stdin and input files.</summary>
    /// <exception cref="ArgumentException">An --env or --file without '='.</exception>
    public async Task<WasiConfig> GetAsync(ParseResult parseResult, string program, CancellationToken cancellationToken)
    {
        var config = new WasiConfig { Args = { program }, Deterministic = parseResult.GetValue(deterministic), RandomSeed = parseResult.GetValue(seed) };
        config.Args.AddRange(parseResult.GetValue(args) ?? []);
        foreach (var pair in parseResult.GetValue(env) ?? [])
        {
            var (name, value) = Split(pair, "--env", "NAME=VALUE");
            config.Env.Add(new WasiEnvVar { Name = name, Value = value });
        }
        foreach (var pair in parseResult.GetValue(files) ?? [])
        {
            var (guest, host) = Split(pair, "--file", "GUEST=HOST");
            config.Files.Add(new WasiFile { Path = guest, Contents = ByteString.CopyFrom(await File.ReadAllBytesAsync(host, cancellationToken).ConfigureAwait(false)) });
        }
        if (parseResult.GetValue(stdin) is { } path)
        {
            if (path == "-")
            {
                using var buffer = new MemoryStream();
                await Console.OpenStandardInput().CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                config.Stdin = ByteString.CopyFrom(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            }
            else
            {
                config.Stdin = ByteString.CopyFrom(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
            }
        }
        return config;
    }

    private static (string, string) Split(string pair, string option, string form)
    {
        var at = pair.IndexOf('=');
        return at > 0 ? (pair[..at], pair[(at + 1)..]) : throw new ArgumentException($"{option} '{pair}' is not {form}");
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using Google.Protobuf;
using Sandbox.Client;
using Grpc.Core;

namespace Sandbox.Cli.Internal;

/// <summary>The options every command takes, and the one place a command's action is run from.</summary>
internal sealed class GlobalOptions
{
    public const string AddressVariable = "SANDBOX_ADDRESS";
    public const string ApiKeyVariable = "SANDBOX_API_KEY";
    public const string CaFileVariable = "SANDBOX_CA_FILE";
    public const string DefaultAddress = "http://localhost:50051";

    /// <summary>Exit code of a command whose call failed or whose input was unusable.</summary>
    public const int Failure = 1;

    public Option<string?> Address { get; } = new("--address")
    {
        Description = $"The server, as http://host:port (h2c) or https://host:port. Default: ${AddressVariable}, else {DefaultAddress}.",
        Recursive = true,
    };

    // No default value factory: help would print the key.
    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"The tenant's API key, sent as 'authorization: Bearer KEY'. Default: ${ApiKeyVariable}.",
        Recursive = true,
    };

    public Option<string?> CaFile { get; } = new("--ca-file")
    {
        Description = $"A PEM file of the CA that signed an https:// server's certificate, trusted besides the system's. Default: ${CaFileVariable}.",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print results as JSON (one object per line for streams).",
        Recursive = true,
    };

    public Option<TimeSpan?> Timeout { get; } = new("--timeout")
    {
        Description = "The deadline of each call, e.g. 500ms, 10s, 2m. Default: none.",
        Recursive = true,
        CustomParser = ParseTimeout,
    };

    public void AddTo(RootCommand root)
    {
        root.Add(Address);
        root.Add(ApiKey);
        root.Add(CaFile);
        root.Add(Json);
        root.Add(Timeout);
    }

    /// <summary>
    /// Sets a command's action: connects, runs <paramref name="action"/>, and turns failures into
    /// a message on stderr and exit code 1, never a stack trace.
    /// </summary>
    public void SetAction(Command command, Func<CliContext, ParseResult, Task<int>> action)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var address = parseResult.GetValue(Address) ?? Environment.GetEnvironmentVariable(AddressVariable) ?? DefaultAddress;
            var apiKey = parseResult.GetValue(ApiKey) ?? Environment.GetEnvironmentVariable(ApiKeyVariable);
            var caFile = parseResult.GetValue(CaFile) ?? Environment.GetEnvironmentVariable(CaFileVariable);
            try
            {
                using var client = new SandboxClient(address, new SandboxClientOptions
                {
                    ApiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey,
                    CaCertificatePath = string.IsNullOrEmpty(caFile) ? null : caFile,
                });
                var context = new CliContext(client, parseResult.InvocationConfiguration.Output, parseResult.GetValue(Json), parseResult.GetValue(Timeout), cancellationToken);
                return await action(context, parseResult).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                await error.WriteLineAsync(HumanOutput.FormatStatus(e)).ConfigureAwait(false);
                return Failure;
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException or ArgumentException or InvalidProtocolBufferException or HttpRequestException or System.Security.Cryptography.CryptographicException)
            {
                // Bad input (an argument, a file) or a transport failure the gRPC client did not
                // turn into a status: the message is enough, the stack trace is noise.
                await error.WriteLineAsync($"sandbox: {e.Message}").ConfigureAwait(false);
                return Failure;
            }
        });
    }

    private static TimeSpan? ParseTimeout(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (DurationText.TryParse(text, out var timeout) && timeout > TimeSpan.Zero)
        {
            return timeout;
        }
        result.AddError($"'{text}' is not a duration: write e.g. 500ms, 10s, 1.5m or 1h.");
        return null;
    }
}

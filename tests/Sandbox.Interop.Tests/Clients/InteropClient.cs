using Sandbox.Interop.Tests.Infrastructure;

namespace Sandbox.Interop.Tests.Clients;

/// <summary>
/// An interop client that someone else's gRPC stack implements, run as a separate process with
/// the arguments of grpc/grpc <c>doc/interop-test-descriptions.md</c> ("Client" section):
/// <c>--server_host</c>, <c>--server_port</c>, <c>--test_case</c>. A case passes when the process
/// exits with 0; otherwise it has printed what it expected and what it saw.
/// </summary>
public abstract class InteropClient
{
    /// <summary>Long enough for a cold interpreter on a busy two-core machine, short enough to catch a hang.</summary>
    public static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(90);

    private readonly Lazy<string?> missingReason;

    protected InteropClient() => missingReason = new Lazy<string?>(FindMissing);

    /// <summary>A short name for messages: "python grpcio", "node grpc-js".</summary>
    public abstract string Name { get; }

    /// <summary>Why this client cannot run here, with an install hint; null when it can.</summary>
    public string? MissingReason => missingReason.Value;

    /// <summary>Runs one interop case against the server at <paramref name="host"/>:<paramref name="port"/>.</summary>
    public async Task<ProcessResult> RunCaseAsync(string testCase, string host, int port)
    {
        await PrepareAsync();
        // Under CI the fact was not skipped, so a missing client must fail here, loudly.
        var missing = FindMissing();
        if (missing is not null)
        {
            Assert.Fail($"The {Name} interop client cannot run: {missing}");
        }
        var arguments = new List<string>(ScriptArguments)
        {
            $"--server_host={host}",
            $"--server_port={port}",
            $"--test_case={testCase}",
        };
        return await ExternalProcess.RunAsync(Executable, arguments, WorkingDirectory, CaseTimeout, Environment);
    }

    protected abstract string Executable { get; }

    /// <summary>The arguments before the interop ones: the script to run.</summary>
    protected abstract IReadOnlyList<string> ScriptArguments { get; }

    protected abstract string WorkingDirectory { get; }

    protected virtual IReadOnlyDictionary<string, string>? Environment => null;

    /// <summary>Checks the runtime and its gRPC packages; null when all are there.</summary>
    protected abstract string? FindMissing();

    /// <summary>Installs what the client can install for itself (its npm packages) before a run.</summary>
    protected virtual Task PrepareAsync() => Task.CompletedTask;

    /// <summary>Runs a short probe command; null when it fails to start or exits non-zero.</summary>
    protected static ProcessResult? Probe(string fileName, params string[] arguments)
    {
        try
        {
            var result = ExternalProcess.RunAsync(fileName, arguments, TestEnvironment.ProjectDirectory, TimeSpan.FromSeconds(60))
                .GetAwaiter().GetResult();
            return result;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The program is not installed (or not on PATH).
            return null;
        }
    }
}

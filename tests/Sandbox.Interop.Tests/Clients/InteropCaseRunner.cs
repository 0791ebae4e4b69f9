using System.Text;
using Microsoft.Extensions.Logging;
using Sandbox.Interop.Tests.Host;
using Xunit.Abstractions;

namespace Sandbox.Interop.Tests.Clients;

/// <summary>
/// Runs one case with one client against the class's server, and reports everything needed to
/// tell a wire-layer bug from a client problem: the command, its exit, both of its output streams
/// and the server's log lines during the case.
/// </summary>
public sealed class InteropCaseRunner(InteropClient client, InteropServerFixture server, ITestOutputHelper output)
{
    /// <summary>How long the server may take to finish its side of a case after the client exits; generous for a loaded machine.</summary>
    private static readonly TimeSpan HandlerReleaseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs a case in which the client cancels a call the server has already answered once, then
    /// checks the server side: the handler of <paramref name="method"/>, blocked reading the next
    /// request, was released rather than left waiting for a message that will never come.
    /// </summary>
    /// <remarks>
    /// How it ends depends on the client: grpcio sends only RST_STREAM, so the read fails and the
    /// token fires; grpc-js (Node's http2 <c>stream.close</c>) sends an empty DATA frame with
    /// END_STREAM before its RST_STREAM, so the handler may legitimately see a half-close first and
    /// return. Either way it must end.
    /// </remarks>
    public async Task AssertPassesAndReleasesHandlerAsync(string testCase, string method)
    {
        var position = server.Outcomes.Position;
        await AssertPassesAsync(testCase);
        var outcome = await server.Outcomes.WaitForAsync(position, method, HandlerReleaseTimeout);
        output.WriteLine($"server handler {method}: {outcome?.ToString() ?? "still running"}");
        Assert.True(outcome is not null, $"The handler of {method} was still running {HandlerReleaseTimeout.TotalSeconds} s after the client cancelled.");
    }

    /// <summary>
    /// Runs a case against a host that compresses responses, and checks that every call of it was
    /// answered with <c>grpc-encoding: gzip</c>: the client decoded what our server compressed.
    /// </summary>
    public async Task AssertPassesWithGzipResponsesAsync(string testCase)
    {
        var position = server.Log.Position;
        await AssertPassesAsync(testCase);
        var calls = server.Log.LinesSince(position).Where(line => line.Contains(InteropServerFixture.CallLogCategory, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(calls);
        Assert.All(calls, call => Assert.Contains("grpc-encoding 'gzip'", call, StringComparison.Ordinal));
    }

    public async Task AssertPassesAsync(string testCase)
    {
        var logPosition = server.Log.Position;
        var result = await client.RunCaseAsync(testCase, server.Host, server.Port);
        var serverIdle = await server.Requests.WaitForIdleAsync(HandlerReleaseTimeout);
        var serverLines = server.Log.LinesSince(logPosition);

        var report = new StringBuilder()
            .AppendLine($"{client.Name} interop client, case '{testCase}', server {server.Host}:{server.Port}")
            .Append(result.Describe())
            .AppendLine("--- server log during the case ---")
            .AppendJoin(Environment.NewLine, serverLines)
            .ToString();
        output.WriteLine(report);

        if (!result.Succeeded)
        {
            Assert.Fail($"Interop case '{testCase}' failed with the {client.Name} client.{Environment.NewLine}{report}");
        }
        if (!serverIdle)
        {
            Assert.Fail($"Interop case '{testCase}' passed in the {client.Name} client, but the server was still serving a request of it {HandlerReleaseTimeout.TotalSeconds} s later.{Environment.NewLine}{report}");
        }
        // The client being satisfied is not enough: an error the server logged during the case
        // (a handler exception, a broken stream) is a wire-layer bug the client could not see.
        var errors = server.Log.LinesSince(logPosition, LogLevel.Error);
        if (errors.Count > 0)
        {
            Assert.Fail($"Interop case '{testCase}' passed in the {client.Name} client, but the server logged errors:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}{Environment.NewLine}{report}");
        }
    }
}

using System.Text;
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
    public async Task AssertPassesAsync(string testCase)
    {
        var logPosition = server.Log.Position;
        var result = await client.RunCaseAsync(testCase, server.Host, server.Port);
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
    }
}

using Sandbox.Interop.Tests.Clients;
using Sandbox.Interop.Tests.Host;
using Sandbox.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sandbox.Interop.Tests;

/// <summary>
/// The control group: each client runs every case against grpcio's own server. When these pass
/// and a case of <see cref="PythonInteropTests"/> or <see cref="NodeInteropTests"/> fails, the
/// fault is in our wire layer, not in the client.
/// </summary>
public sealed class ReferenceServerControlTests(ReferenceServerFixture reference, ITestOutputHelper output)
    : IClassFixture<ReferenceServerFixture>
{
    [PythonInteropFact]
    public Task PythonClient_AgainstGrpcioServer_PassesEveryCase() => AssertEveryCasePassesAsync(PythonInteropClient.Instance);

    [NodeWithReferenceServerFact]
    public Task NodeClient_AgainstGrpcioServer_PassesEveryCase() => AssertEveryCasePassesAsync(NodeInteropClient.Instance);

    private async Task AssertEveryCasePassesAsync(InteropClient client)
    {
        await reference.EnsureStartedAsync();
        var failures = new List<string>();
        foreach (var testCase in InteropCases.All)
        {
            var result = await client.RunCaseAsync(testCase, reference.Host, reference.Port);
            output.WriteLine($"{testCase}: {(result.Succeeded ? "passed" : "FAILED")}");
            if (!result.Succeeded)
            {
                failures.Add($"case '{testCase}':{Environment.NewLine}{result.Describe()}");
            }
        }
        Assert.True(
            failures.Count == 0,
            $"The {client.Name} client fails against grpcio's own server, so it is the client that is wrong:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }
}

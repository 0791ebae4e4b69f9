using Sandbox.Interop.Tests.Clients;
using Sandbox.Interop.Tests.Host;
using Sandbox.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sandbox.Interop.Tests;

/// <summary>
/// Our wire layer's health and reflection services, called by grpcio with stubs from Debian's
/// grpc-proto, the way generic tools (grpc_health_probe, grpcurl) call them.
/// </summary>
public sealed class StandardServicesInteropTests(InteropServerFixture server, ITestOutputHelper output) : IClassFixture<InteropServerFixture>
{
    private readonly InteropCaseRunner runner = new(PythonInteropClient.StandardServices, server, output);

    [PythonStandardServicesFact]
    public Task Python_HealthCheck_Passes() => runner.AssertPassesAsync("health_check");

    [PythonStandardServicesFact]
    public Task Python_HealthWatch_Passes() => runner.AssertPassesAsync("health_watch");

    [PythonStandardServicesFact]
    public Task Python_ReflectionV1_Passes() => runner.AssertPassesAsync("reflection_v1");

    [PythonStandardServicesFact]
    public Task Python_ReflectionV1Alpha_Passes() => runner.AssertPassesAsync("reflection_v1alpha");
}

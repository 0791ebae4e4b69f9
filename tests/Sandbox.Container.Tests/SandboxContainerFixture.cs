using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;

namespace Sandbox.Container.Tests;

/// <summary>
/// The image built from the repository's Dockerfile and one container of it, started with
/// Testcontainers on the host's network (only 127.0.0.1 is called) with one tenant and OTLP export
/// to an <see cref="OtlpReceiver"/>, ready once the image's own health check (the CLI's gRPC
/// health call) passes. Everything is removed at the end: the reaper is disabled here.
/// </summary>
public sealed class SandboxContainerFixture : IAsyncLifetime
{
    private const string StandInSdk = "sandbox-standin/dotnet-sdk:10.0";
    private const string StandInRuntime = "sandbox-standin/dotnet-aspnet:10.0";

    private IFutureDockerImage? image;
    private IContainer? container;

    /// <summary>The tenant's API key, fresh for this run.</summary>
    public string ApiKey { get; } = "ct-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    public int Port { get; } = FreePort();

    public string Address => $"http://127.0.0.1:{Port}";

    public OtlpReceiver? Receiver { get; private set; }

    /// <summary>What went wrong while setting up, reported by every test (so that CI fails, not skips).</summary>
    public string? SetupFailure { get; private set; }

    public async Task InitializeAsync()
    {
        if (DockerEnvironment.WhyUnavailable is { } reason)
        {
            SetupFailure = reason;
            return;
        }
        var (sdk, runtime) = await BaseImagesAsync();
        image = new ImageFromDockerfileBuilder()
            .WithDockerfileDirectory(DockerEnvironment.RepositoryRoot)
            .WithDockerfile("Dockerfile")
            .WithBuildArgument("SDK_IMAGE", sdk)
            .WithBuildArgument("RUNTIME_IMAGE", runtime)
            .WithName($"sandbox-test:{Guid.NewGuid():N}")
            .WithCleanUp(false)
            .WithDeleteIfExists(true)
            .Build();
        await image.CreateAsync();

        Receiver = await OtlpReceiver.StartAsync();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey)));
        container = new ContainerBuilder(image)
            // WithNetwork("host") does not give host networking; the create parameters do.
            .WithCreateParameterModifier(parameters =>
            {
                parameters.HostConfig ??= new HostConfig();
                parameters.HostConfig.NetworkMode = "host";
                parameters.Healthcheck = new HealthcheckConfig
                {
                    Test = ["CMD", "/app/cli/sandbox", "health", "--service", "sandbox.v1.Sandbox", "--timeout", "3s"],
                    Interval = TimeSpan.FromSeconds(1),
                    Timeout = TimeSpan.FromSeconds(5),
                    Retries = 3,
                    StartPeriod = TimeSpan.FromSeconds(60),
                };
            })
            .WithEnvironment("Sandbox__Listen", Address)
            .WithEnvironment("SANDBOX_ADDRESS", Address)
            .WithEnvironment("Sandbox__Tenants__0__Id", "ct")
            .WithEnvironment("Sandbox__Tenants__0__ApiKeySha256__0", hash)
            .WithEnvironment("Sandbox__LogFormat", "json")
            .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", $"http://127.0.0.1:{Receiver.Port}")
            .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "1000")
            // A port check alone is not enough under host networking (an earlier run's TIME_WAIT
            // sockets satisfy it): the server's own line, then the image's gRPC health check.
            .WithWaitStrategy(Wait.ForUnixContainer()
                .UntilMessageIsLogged("Sandbox serving gRPC on")
                .UntilContainerIsHealthy())
            .WithCleanUp(false)
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await container.StartAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (container is not null) await container.DisposeAsync();
        if (image is not null)
        {
            await image.DeleteAsync();
            await image.DisposeAsync();
        }
        if (Receiver is not null) await Receiver.DisposeAsync();
    }

    /// <summary>The server's log so far, for failure messages.</summary>
    public async Task<string> LogsAsync()
    {
        if (container is null) return "";
        var (stdout, stderr) = await container.GetLogsAsync();
        return stdout + stderr;
    }

    /// <summary>
    /// The Dockerfile's base images: SDK_IMAGE and RUNTIME_IMAGE when set, else local stand-ins
    /// built by deploy/standin-images.sh (no registry is reachable here), which restore offline
    /// from this machine's NuGet cache.
    /// </summary>
    private static async Task<(string Sdk, string Runtime)> BaseImagesAsync()
    {
        if (Environment.GetEnvironmentVariable("SDK_IMAGE") is { Length: > 0 } sdk && Environment.GetEnvironmentVariable("RUNTIME_IMAGE") is { Length: > 0 } runtime)
        {
            return (sdk, runtime);
        }
        var root = DockerEnvironment.RepositoryRoot;
        // The stand-in SDK restores from the cache: fill it with what the image's projects need.
        await RunAsync("dotnet", $"restore \"{Path.Combine(root, "src", "Server", "Sandbox.Server.csproj")}\"", root);
        await RunAsync("dotnet", $"restore \"{Path.Combine(root, "src", "Cli", "Sandbox.Cli.csproj")}\"", root);
        await RunAsync("bash", Path.Combine(root, "deploy", "standin-images.sh"), root, ("STANDIN_CACHE", Environment.GetEnvironmentVariable("STANDIN_CACHE") ?? "/var/cache/sandbox-smoke"));
        return (StandInSdk, StandInRuntime);
    }

    private static async Task RunAsync(string file, string arguments, string directory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Test classes that share the one container.</summary>
[CollectionDefinition(Name)]
public sealed class ContainerCollection : ICollectionFixture<SandboxContainerFixture>
{
    public const string Name = "Container";
}

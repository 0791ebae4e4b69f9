using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration.Memory;

namespace Sandbox.Server;

/// <summary>
/// Creates the server's builder with its embedded defaults, and builds or starts the whole server
/// for tests and tools (<see cref="StartAsync"/> on port 0). <c>Program</c> reads the same way:
/// <see cref="CreateBuilder"/>, <see cref="SandboxServiceCollectionExtensions.AddSandbox"/>, Build,
/// <see cref="SandboxEndpointRouteBuilderExtensions.MapSandbox"/>, Run.
/// </summary>
public static class SandboxServerHost
{
    private const string EmbeddedSettings = "Sandbox.Server.appsettings.json";

    /// <summary>
    /// A <see cref="WebApplicationBuilder"/> whose configuration starts from the defaults compiled
    /// into the assembly (appsettings.json), then the content root's appsettings.json, environment
    /// variables and the command line, where <c>--listen ADDRESSES</c> is short for
    /// <c>--Sandbox:Listen=ADDRESSES</c>.
    /// </summary>
    /// <param name="args">Command-line arguments: any configuration key as <c>--Key=value</c>, and <c>--listen</c>.</param>
    /// <param name="settings">Configuration that overrides every other source (for tests).</param>
    public static WebApplicationBuilder CreateBuilder(string[] args, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The content root holds an optional appsettings.json that overrides the embedded one;
            // the base directory keeps that independent of where the server is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });
        var configuration = builder.Configuration;
        // Lowest priority: the defaults compiled into the assembly.
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = ReadEmbeddedSettings() });
        // A short switch for the one setting people change most.
        configuration.AddCommandLine(args, new Dictionary<string, string>
        {
            ["--listen"] = $"{SandboxServerOptions.SectionName}:{nameof(SandboxServerOptions.Listen)}",
        });
        if (settings is not null)
        {
            configuration.AddInMemoryCollection(settings);
        }
        return builder;
    }

    /// <summary>Builds the whole server without starting it.</summary>
    /// <exception cref="InvalidOperationException">A configuration mistake (a bad <c>Sandbox:Listen</c>, a bad key hash, ...); the message says what to fix.</exception>
    public static WebApplication Build(string[] args, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var builder = CreateBuilder(args, settings);
        builder.AddSandbox();
        var app = builder.Build();
        app.MapSandbox();
        return app;
    }

    /// <summary>
    /// Builds and starts the server, and returns once it listens. Pass
    /// <c>Sandbox:Listen = http://127.0.0.1:0</c> in <paramref name="settings"/> for a free port.
    /// </summary>
    public static async Task<SandboxServer> StartAsync(string[]? args = null, IEnumerable<KeyValuePair<string, string?>>? settings = null, CancellationToken cancellationToken = default)
    {
        var app = Build(args ?? [], settings);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new SandboxServer(app, BoundAddresses(app));
    }

    /// <summary>
    /// Room a CompileModule, Instantiate or Execute request needs beyond the module itself: its
    /// other fields and their framing.
    /// </summary>
    internal const int RequestOverheadBytes = 64 << 10;

    /// <summary>
    /// The receive limit that lets every tenant upload a module up to its <c>ModuleBytes</c>
    /// (issue 13: the 4 MiB default refused modules long before the 16 MiB module limit applied):
    /// the configured <c>Sandbox:Grpc:MaxReceiveMessageSize</c>, raised where a tenant's module
    /// limit needs more. The tenant's own limit then refuses a larger module by name.
    /// </summary>
    internal static int? ReceiveLimit(int? configured, Tenancy.TenantRegistry tenants)
    {
        if (configured is null) return null; // unlimited stays unlimited
        var largest = tenants.Tenants.Select(t => t.Limits.ModuleBytes).DefaultIfEmpty(0UL).Max();
        var needed = (long)Math.Min(largest + RequestOverheadBytes, int.MaxValue);
        return (int)Math.Max(configured.Value, needed);
    }

    /// <summary>The addresses Kestrel actually bound, with port 0 resolved.</summary>
    internal static IReadOnlyList<Uri> BoundAddresses(WebApplication app)
    {
        var feature = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        return feature?.Addresses.Select(a => new Uri(a)).ToArray() ?? [];
    }

    private static IEnumerable<KeyValuePair<string, string?>> ReadEmbeddedSettings()
    {
        // Read once into key/value pairs: a stream-backed source could not be loaded again when
        // ConfigurationManager rebuilds its providers.
        using var stream = typeof(SandboxServerHost).Assembly.GetManifestResourceStream(EmbeddedSettings)
            ?? throw new InvalidOperationException($"The embedded resource {EmbeddedSettings} is missing.");
        return new ConfigurationBuilder().AddJsonStream(stream).Build().AsEnumerable().ToArray();
    }
}

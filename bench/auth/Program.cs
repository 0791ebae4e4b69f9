using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sandbox.Server;
using Sandbox.Server.Tenancy;

// Runs the server's own authentication and authorization middleware, as AddSandbox configures
// them, on the Invoke endpoint with a valid API key, and prints bytes allocated and time per
// request: once with the server's services, once with ASP.NET Core's default ones in their place,
// and once with no middleware at all (what this harness itself costs).
//   dotnet run -c Release --project bench/auth [-- requests]
var requests = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
foreach (var setup in new[] { "server", "defaults", "none" })
{
    var (bytes, nanoseconds) = await Measure(setup, requests);
    Console.WriteLine($"{setup,-9} {bytes,6:F0} B/request {nanoseconds,6:F0} ns/request");
}

static async Task<(double Bytes, double Nanoseconds)> Measure(string setup, int requests)
{
    const string Key = "bench-key";
    var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Key))).ToLowerInvariant();
    var host = SandboxServerHost.CreateBuilder([], new Dictionary<string, string?>
    {
        ["Sandbox:Listen"] = "http://127.0.0.1:0",
        ["Sandbox:Tenants:0:Id"] = "bench",
        ["Sandbox:Tenants:0:ApiKeySha256:0"] = hash,
        ["Serilog:MinimumLevel:Default"] = "Warning",
    });
    host.AddSandbox();
    if (setup == "defaults")
    {
        // What AddAuthentication and AddAuthorization register before the server replaces them.
        var stock = new ServiceCollection();
        stock.AddAuthentication();
        stock.AddAuthorization();
        foreach (var type in new[] { typeof(IAuthenticationSchemeProvider), typeof(IAuthenticationHandlerProvider), typeof(IAuthenticationService), typeof(IAuthorizationService), typeof(IPolicyEvaluator), typeof(IAuthorizationMiddlewareResultHandler) })
        {
            host.Services.Replace(stock.Last(d => d.ServiceType == type));
        }
    }
    await using var app = host.Build();
    app.MapSandbox();
    var endpoint = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints)
        .Single(e => e.DisplayName?.EndsWith("/Invoke", StringComparison.Ordinal) == true);

    var pipeline = new ApplicationBuilder(app.Services);
    if (setup != "none")
    {
        pipeline.UseAuthentication();
        pipeline.UseAuthorization();
    }
    var authorized = 0;
    pipeline.Run(context =>
    {
        if (context.FindTenant() is not null) authorized++;
        return Task.CompletedTask;
    });
    var run = pipeline.Build();
    var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
    var connection = new ConnectionItems();

    async Task Request()
    {
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature { Method = "POST", Path = "/sandbox.v1.Sandbox/Invoke", Protocol = "HTTP/2" });
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IConnectionItemsFeature>(connection);
        var context = new DefaultHttpContext(features) { ServiceScopeFactory = scopes };
        context.Request.Headers.Authorization = "Bearer " + Key;
        context.SetEndpoint(endpoint);
        await run(context);
        if (context.Features.Get<IServiceProvidersFeature>() is IAsyncDisposable scope) await scope.DisposeAsync();
    }

    // Warm-up, past tiered compilation.
    for (var i = 0; i < requests / 5; i++) await Request();
    if (setup != "none" && authorized != requests / 5) throw new InvalidOperationException($"{setup}: {authorized} of {requests / 5} requests were authorized");

    GC.Collect();
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < requests; i++) await Request();
    clock.Stop();
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
    return (allocated / (double)requests, clock.Elapsed.TotalNanoseconds / requests);
}

sealed class ConnectionItems : IConnectionItemsFeature
{
    public IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();
}

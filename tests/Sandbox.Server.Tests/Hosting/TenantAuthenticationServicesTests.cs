using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sandbox.Server.Tenancy;
using Sandbox.Server.Tenancy.Internal;

namespace Sandbox.Server.Tests.Hosting;

public sealed class TenantAuthenticationServicesTests
{
    [Fact]
    public async Task RequestHandlerSchemes_SchemeAddedAfterTheFirstAnswer_AreAnsweredAfresh()
    {
        await using var services = Build();
        var schemes = services.GetRequiredService<IAuthenticationSchemeProvider>();
        Assert.Empty(await schemes.GetRequestHandlerSchemesAsync());

        schemes.AddScheme(new AuthenticationScheme("remote", null, typeof(RemoteHandler)));

        Assert.Equal("remote", Assert.Single(await schemes.GetRequestHandlerSchemesAsync()).Name);
        schemes.RemoveScheme("remote");
        Assert.Empty(await schemes.GetRequestHandlerSchemesAsync());
    }

    [Fact]
    public async Task DefaultAuthenticateScheme_SchemeRemoved_IsAnsweredAfresh()
    {
        await using var services = Build();
        var schemes = services.GetRequiredService<IAuthenticationSchemeProvider>();
        Assert.Equal("local", (await schemes.GetDefaultAuthenticateSchemeAsync())?.Name);

        schemes.RemoveScheme("local");

        Assert.Null(await schemes.GetDefaultAuthenticateSchemeAsync());
    }

    [Fact]
    public async Task HandlerProvider_OtherScheme_GoesToTheDefaultProvider()
    {
        await using var services = Build();
        await using var scope = services.CreateAsyncScope();
        var handlers = scope.ServiceProvider.GetRequiredService<IAuthenticationHandlerProvider>();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };

        Assert.IsType<LocalHandler>(await handlers.GetHandlerAsync(context, "local"));
        Assert.Null(await handlers.GetHandlerAsync(context, "absent"));
    }

    [Fact]
    public async Task AuthenticateAsync_ApiKeyScheme_HandsBackTheTenantsOneResult()
    {
        await using var services = Build();
        var first = await AuthenticateLoopback(services);
        var second = await AuthenticateLoopback(services);

        Assert.True(first.Succeeded);
        // The dev tenant (no tenants configured) serves this loopback caller.
        Assert.Equal(TenantRegistry.DevTenantId, first.Principal!.FindFirst(ApiKeyAuthenticationHandler.TenantClaim)?.Value);
        Assert.Equal(ApiKeyAuthenticationHandler.SchemeName, first.Ticket!.AuthenticationScheme);
        Assert.Same(first, second);
    }

    [Fact]
    public async Task AuthenticateAsync_ClaimsTransformationRegistered_RunsIt()
    {
        await using var services = Build(transform: true);

        var result = await AuthenticateLoopback(services);

        Assert.True(result.Succeeded);
        Assert.Equal("yes", result.Principal!.FindFirst("transformed")?.Value);
        Assert.Equal(TenantRegistry.DevTenantId, result.Principal.FindFirst(ApiKeyAuthenticationHandler.TenantClaim)?.Value);
    }

    [Theory]
    [InlineData(true, true, "success")]
    [InlineData(true, false, "forbid")]
    [InlineData(false, false, "challenge")]
    public async Task PolicyEvaluator_AuthorizeAsync_DecidesAsTheBaseClass(bool authenticated, bool tenant, string expected)
    {
        await using var services = Build();
        var evaluator = services.GetRequiredService<IPolicyEvaluator>();
        var policy = new AuthorizationPolicyBuilder().AddRequirements(new TenantRequirement()).Build();
        var context = new DefaultHttpContext();
        if (authenticated) context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ApiKeyAuthenticationHandler.TenantClaim, "t")], ApiKeyAuthenticationHandler.SchemeName));
        if (tenant) context.Features.Set(services.GetRequiredService<TenantRegistry>().DevTenant!);
        var authentication = authenticated
            ? AuthenticateResult.Success(new AuthenticationTicket(context.User, ApiKeyAuthenticationHandler.SchemeName))
            : AuthenticateResult.NoResult();

        var result = await evaluator.AuthorizeAsync(policy, authentication, context, context);

        Assert.Equal(expected, result.Succeeded ? "success" : result.Forbidden ? "forbid" : result.Challenged ? "challenge" : "none");
    }

    [Theory]
    [InlineData("success", "next")]
    [InlineData("challenge", "challenged")]
    [InlineData("forbid", "forbidden")]
    public async Task ResultHandler_PassesOnlyAnAuthorizedRequest(string decision, string expected)
    {
        await using var services = Build();
        await using var scope = services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<IAuthorizationMiddlewareResultHandler>();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var result = decision switch
        {
            "success" => PolicyAuthorizationResult.Success(),
            "challenge" => PolicyAuthorizationResult.Challenge(),
            _ => PolicyAuthorizationResult.Forbid(),
        };

        await handler.HandleAsync(c => { c.Items["outcome"] = "next"; return Task.CompletedTask; }, context, new AuthorizationPolicyBuilder().RequireAssertion(_ => true).Build(), result);

        Assert.Equal(expected, context.Items["outcome"]);
    }

    [Fact]
    public async Task AuthenticationService_RecordsAspNetCoresAuthenticationInstruments()
    {
        await using var services = Build();
        using var recorded = new AuthenticationMeasurements(services.GetRequiredService<IMeterFactory>());

        await AuthenticateLoopback(services);
        await AuthenticateFrom(services, IPAddress.Parse("192.0.2.1"));
        await using (var scope = services.CreateAsyncScope())
        {
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            var authentication = scope.ServiceProvider.GetRequiredService<IAuthenticationService>();
            await authentication.AuthenticateAsync(context, "local");
            await authentication.ChallengeAsync(context, "local", null);
            await authentication.ForbidAsync(context, "local", null);
        }

        Assert.Equal(
            [
                "aspnetcore.authentication.authenticate.duration scheme=ApiKey result=success",
                "aspnetcore.authentication.authenticate.duration scheme=ApiKey error.type=Microsoft.AspNetCore.Authentication.AuthenticationFailureException result=failure",
                "aspnetcore.authentication.authenticate.duration scheme=local result=none",
                "aspnetcore.authentication.challenges scheme=local",
                "aspnetcore.authentication.forbids scheme=local",
            ],
            recorded.Measurements);
    }

    private static Task<AuthenticateResult> AuthenticateLoopback(ServiceProvider services) => AuthenticateFrom(services, IPAddress.Loopback);

    // With no tenant configured, the dev tenant serves loopback callers and refuses anyone else.
    private static async Task<AuthenticateResult> AuthenticateFrom(ServiceProvider services, IPAddress caller)
    {
        await using var scope = services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Connection.RemoteIpAddress = caller;
        return await scope.ServiceProvider.GetRequiredService<IAuthenticationService>().AuthenticateAsync(context, ApiKeyAuthenticationHandler.SchemeName);
    }

    private static ServiceProvider Build(bool transform = false)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddAuthentication(authentication =>
        {
            authentication.AddScheme("local", scheme => scheme.HandlerType = typeof(LocalHandler));
            authentication.AddScheme(ApiKeyAuthenticationHandler.SchemeName, scheme => scheme.HandlerType = typeof(ApiKeyAuthenticationHandler));
            authentication.DefaultScheme = "local";
        });
        services.AddAuthorization();
        services.AddSingleton<TenantRegistry>();
        if (transform) services.AddSingleton<IClaimsTransformation, MarkingTransformation>();
        services.AddLeanTenantAuthentication();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    // The Microsoft.AspNetCore.Authentication measurements of one service provider's meters, as "instrument scheme=... result=...".
    private sealed class AuthenticationMeasurements : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly List<string> measurements = [];

        public AuthenticationMeasurements(IMeterFactory meters)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == AuthenticationInstruments.MeterName && instrument.Meter.Scope == meters) l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, tags));
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, tags));
            listener.Start();
        }

        public string[] Measurements
        {
            get
            {
                lock (measurements) return [.. measurements];
            }
        }

        private void Add(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var text = instrument.Name;
            foreach (var tag in tags) text += $" {tag.Key.Replace("aspnetcore.authentication.", "")}={tag.Value}";
            lock (measurements) measurements.Add(text);
        }

        public void Dispose() => listener.Dispose();
    }

    // Adds a claim to a copy of the principal, as claims transformations are told to.
    private sealed class MarkingTransformation : IClaimsTransformation
    {
        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            var copy = principal.Clone();
            ((ClaimsIdentity)copy.Identity!).AddClaim(new Claim("transformed", "yes"));
            return Task.FromResult(copy);
        }
    }

    // Says on the request whether it was asked to challenge or forbid.
    private class LocalHandler : IAuthenticationHandler
    {
        private HttpContext? context;

        public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
        {
            this.context = context;
            return Task.CompletedTask;
        }

        public Task<AuthenticateResult> AuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());

        public Task ChallengeAsync(AuthenticationProperties? properties)
        {
            context!.Items["outcome"] = "challenged";
            return Task.CompletedTask;
        }

        public Task ForbidAsync(AuthenticationProperties? properties)
        {
            context!.Items["outcome"] = "forbidden";
            return Task.CompletedTask;
        }
    }

    // A scheme that handles requests of its own (as remote sign-in schemes do), so that the
    // provider lists it among the request handlers.
    private sealed class RemoteHandler : LocalHandler, IAuthenticationRequestHandler
    {
        public Task<bool> HandleRequestAsync() => Task.FromResult(false);
    }
}

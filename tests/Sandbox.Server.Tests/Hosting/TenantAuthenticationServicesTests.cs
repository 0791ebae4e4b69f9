using Microsoft.AspNetCore.Authentication;
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

    private static ServiceProvider Build()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddAuthentication(authentication =>
        {
            authentication.AddScheme("local", scheme => scheme.HandlerType = typeof(LocalHandler));
            authentication.DefaultScheme = "local";
        });
        services.AddAuthorization();
        services.AddSingleton<TenantRegistry>();
        services.AddLeanTenantAuthentication();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    private class LocalHandler : IAuthenticationHandler
    {
        public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context) => Task.CompletedTask;
        public Task<AuthenticateResult> AuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
        public Task ChallengeAsync(AuthenticationProperties? properties) => Task.CompletedTask;
        public Task ForbidAsync(AuthenticationProperties? properties) => Task.CompletedTask;
    }

    // A scheme that handles requests of its own (as remote sign-in schemes do), so that the
    // provider lists it among the request handlers.
    private sealed class RemoteHandler : LocalHandler, IAuthenticationRequestHandler
    {
        public Task<bool> HandleRequestAsync() => Task.FromResult(false);
    }
}

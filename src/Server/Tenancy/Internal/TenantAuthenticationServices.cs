using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Sandbox.Server.Tenancy.Internal;

/// <summary>
/// ASP.NET Core's authentication and authorization, kept, with the per-request allocations of
/// their default services taken out where the service's one scheme and one policy allow: the same
/// middleware, the same handler and policy, each replaced service a subclass or an implementation
/// of the extension point ASP.NET Core resolves it from.
/// </summary>
/// <remarks>
/// Measured in-process on the Invoke endpoint (bench/auth, the two middleware alone, over what the
/// harness itself allocates, three runs): ASP.NET Core's defaults allocated 3.5 KB and took 2.1-2.5 µs
/// per call, these 2.0 KB and 1.5-2.0 µs. On a 2-core machine the garbage collection that
/// authentication causes was about a third of a trivial Invoke's throughput.
/// </remarks>
internal static class TenantAuthenticationServices
{
    /// <summary>Registers the lean services; call after AddAuthentication and AddAuthorization.</summary>
    public static void AddLeanTenantAuthentication(this IServiceCollection services)
    {
        services.TryAddSingleton<AuthenticationInstruments>();
        services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, CachedSchemeProvider>());
        services.Replace(ServiceDescriptor.Scoped<IAuthenticationHandlerProvider, TenantHandlerProvider>());
        services.Replace(ServiceDescriptor.Scoped<IAuthenticationService, TenantAuthenticationService>());
        // Transient by default, so made on every request. ASP.NET Core's own implementation (the one
        // that records the aspnetcore.authorization metrics) is stateless, and so are the handlers,
        // factory and evaluator it is made with: one serves every request.
        var authorization = services.Last(d => d.ServiceType == typeof(IAuthorizationService));
        services.Replace(ServiceDescriptor.Singleton(typeof(IAuthorizationService), authorization.ImplementationType!));
        services.Replace(ServiceDescriptor.Singleton<IPolicyEvaluator, TenantPolicyEvaluator>());
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationMiddlewareResultHandler, PassingResultHandler>());
    }

    /// <summary>
    /// <see cref="AuthenticationSchemeProvider"/> whose answers to the two questions the
    /// middleware asks on every request are tasks made once (the base class makes a new one per
    /// call), made afresh after a scheme is added or removed.
    /// </summary>
    private sealed class CachedSchemeProvider(IOptions<AuthenticationOptions> options) : AuthenticationSchemeProvider(options)
    {
        private readonly Lock gate = new();
        private int version; // bumped, under gate, after every change to the schemes
        private Task<AuthenticationScheme?>? defaultAuthenticate;
        private Task<IEnumerable<AuthenticationScheme>>? requestHandlers;

        public override Task<AuthenticationScheme?> GetDefaultAuthenticateSchemeAsync() =>
            Volatile.Read(ref defaultAuthenticate) ?? Answer(ref defaultAuthenticate, base.GetDefaultAuthenticateSchemeAsync);

        public override Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync() =>
            Volatile.Read(ref requestHandlers) ?? Answer(ref requestHandlers, base.GetRequestHandlerSchemesAsync);

        public override bool TryAddScheme(AuthenticationScheme scheme)
        {
            var added = base.TryAddScheme(scheme);
            Forget();
            return added;
        }

        public override void AddScheme(AuthenticationScheme scheme)
        {
            base.AddScheme(scheme);
            Forget();
        }

        public override void RemoveScheme(string name)
        {
            base.RemoveScheme(name);
            Forget();
        }

        private void Forget()
        {
            lock (gate)
            {
                version++;
                defaultAuthenticate = null;
                requestHandlers = null;
            }
        }

        // Kept only if no scheme changed while the base class answered: an answer made before a
        // change and stored after its Forget would otherwise be served for good. The base class
        // answers synchronously; a task that has not completed is not kept.
        private Task<T> Answer<T>(ref Task<T>? slot, Func<Task<T>> ask)
        {
            var asked = Volatile.Read(ref version);
            var answer = ask();
            if (answer.IsCompletedSuccessfully)
            {
                lock (gate)
                {
                    if (version == asked) slot = answer;
                }
            }
            return answer;
        }
    }

    /// <summary>
    /// The request's <see cref="IAuthenticationHandlerProvider"/>: the API-key scheme's handler
    /// made and initialised once per request in a field, where the default provider keeps a
    /// dictionary of handlers per request; any other scheme goes to the default provider.
    /// </summary>
    private sealed class TenantHandlerProvider(IAuthenticationSchemeProvider schemes, TenantRegistry registry) : IAuthenticationHandlerProvider
    {
        private ApiKeyAuthenticationHandler? apiKey;
        private Task<IAuthenticationHandler?>? apiKeyTask;
        private AuthenticationHandlerProvider? others;

        public Task<IAuthenticationHandler?> GetHandlerAsync(HttpContext context, string authenticationScheme)
        {
            if (authenticationScheme != ApiKeyAuthenticationHandler.SchemeName)
            {
                return (others ??= new AuthenticationHandlerProvider(schemes)).GetHandlerAsync(context, authenticationScheme);
            }
            return apiKeyTask ??= Task.FromResult<IAuthenticationHandler?>(ApiKey(context));
        }

        /// <summary>The request's API-key handler.</summary>
        public ApiKeyAuthenticationHandler ApiKey(HttpContext context)
        {
            if (apiKey is null)
            {
                apiKey = new ApiKeyAuthenticationHandler(registry);
                apiKey.Initialize(context);
            }
            return apiKey;
        }
    }

    /// <summary>
    /// The request's <see cref="AuthenticationService"/>, which hands back the API-key handler's
    /// result as it is when claims transformation is ASP.NET Core's default, which changes
    /// nothing: the base class would wrap the same principal in a new ticket and result, after
    /// looking it up in a set it makes per request. Any other scheme or transformation is the base
    /// class's.
    /// </summary>
    /// <remarks>
    /// In place of ASP.NET Core's own implementation, which is internal: this one records the
    /// same <c>Microsoft.AspNetCore.Authentication</c> instruments (<see cref="AuthenticationInstruments"/>).
    /// </remarks>
    private sealed class TenantAuthenticationService(IAuthenticationSchemeProvider schemes, IAuthenticationHandlerProvider handlers, IClaimsTransformation transform,
        IOptions<AuthenticationOptions> options, AuthenticationInstruments instruments)
        : AuthenticationService(schemes, handlers, transform, options)
    {
        private readonly bool transformsNothing = transform.GetType() == typeof(NoopClaimsTransformation);

        public override Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme)
        {
            var started = Stopwatch.GetTimestamp();
            Task<AuthenticateResult> authenticating;
            try
            {
                authenticating = transformsNothing && scheme == ApiKeyAuthenticationHandler.SchemeName && Handlers is TenantHandlerProvider provider
                    ? provider.ApiKey(context).AuthenticateAsync()
                    : base.AuthenticateAsync(context, scheme);
            }
            catch (Exception exception)
            {
                instruments.Authenticated(scheme, null, exception, started);
                throw;
            }
            if (!authenticating.IsCompletedSuccessfully) return Measured(authenticating, scheme, started);
            instruments.Authenticated(scheme, authenticating.Result, null, started);
            return authenticating;
        }

        private async Task<AuthenticateResult> Measured(Task<AuthenticateResult> authenticating, string? scheme, long started)
        {
            AuthenticateResult result;
            try
            {
                result = await authenticating.ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                instruments.Authenticated(scheme, null, exception, started);
                throw;
            }
            instruments.Authenticated(scheme, result, null, started);
            return result;
        }

        public override Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) =>
            Counted(base.ChallengeAsync(context, scheme, properties), scheme, instruments.Challenged);

        public override Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) =>
            Counted(base.ForbidAsync(context, scheme, properties), scheme, instruments.Forbidden);

        public override Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties) =>
            Counted(base.SignInAsync(context, scheme, principal, properties), scheme, instruments.SignedIn);

        public override Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) =>
            Counted(base.SignOutAsync(context, scheme, properties), scheme, instruments.SignedOut);

        // The base class's methods are async: what they throw is in their task.
        private static async Task Counted(Task operation, string? scheme, Action<string?, Exception?> count)
        {
            try
            {
                await operation.ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                count(scheme, exception);
                throw;
            }
            count(scheme, null);
        }
    }

    /// <summary>
    /// <see cref="PolicyEvaluator"/> that, for a policy naming no scheme, hands back the result the
    /// authentication middleware already has for the request's user; the base class wraps the
    /// same user in a new ticket and result on every call. Policies that name schemes are the base
    /// class's. A policy the authorization service grants at once is answered with a task made
    /// once.
    /// </summary>
    private sealed class TenantPolicyEvaluator : PolicyEvaluator
    {
        private readonly IAuthorizationService authorization;

        public TenantPolicyEvaluator(IAuthorizationService authorization) : base(authorization) => this.authorization = authorization;

        private static readonly Task<PolicyAuthorizationResult> Granted = Task.FromResult(PolicyAuthorizationResult.Success());

        public override Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context)
        {
            if (policy.AuthenticationSchemes.Count == 0
                && context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult is { Succeeded: true } result
                && ReferenceEquals(result.Principal, context.User))
            {
                // The tenant's own task when the result is the tenant's (TenantAuthenticationService
                // passed it through), else a new one.
                return context.FindTenant()?.AuthenticateResult is { } made && ReferenceEquals(made.Result, result) ? made : Task.FromResult(result);
            }
            return base.AuthenticateAsync(policy, context);
        }

        // The base class's decision, without its state machine when the service answers at once.
        public override Task<PolicyAuthorizationResult> AuthorizeAsync(AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource)
        {
            ArgumentNullException.ThrowIfNull(policy);
            var authorized = authorization.AuthorizeAsync(context.User, resource, policy);
            return authorized.IsCompletedSuccessfully && authorized.Result.Succeeded ? Granted : Decide(authorized, authenticationResult);
        }

        private static async Task<PolicyAuthorizationResult> Decide(Task<AuthorizationResult> authorized, AuthenticateResult authenticationResult)
        {
            var result = await authorized.ConfigureAwait(false);
            if (result.Succeeded) return PolicyAuthorizationResult.Success();
            // As the base class: a user who authenticated is forbidden, anyone else challenged.
            return authenticationResult.Succeeded ? PolicyAuthorizationResult.Forbid(result.Failure) : PolicyAuthorizationResult.Challenge();
        }
    }

    /// <summary>
    /// <see cref="IAuthorizationMiddlewareResultHandler"/> that sends an authorized request on
    /// without a frame of its own; challenges and refusals are ASP.NET Core's handler's. The
    /// default is registered transient, so made on every request, and awaits the rest of the
    /// pipeline in an async method of its own.
    /// </summary>
    private sealed class PassingResultHandler : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler defaults = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult) =>
            authorizeResult is { Challenged: false, Forbidden: false } ? next(context) : defaults.HandleAsync(next, context, policy, authorizeResult);
    }
}

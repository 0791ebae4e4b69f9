using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Authentication;

namespace Sandbox.Server.Tenancy.Internal;

/// <summary>
/// The <c>Microsoft.AspNetCore.Authentication</c> meter's instruments, recorded as ASP.NET Core's
/// own <see cref="IAuthenticationService"/> records them (names, units, descriptions, bucket
/// advice and tags): that implementation is internal, so the service that replaces it records
/// them itself. The meter comes from the host's <see cref="IMeterFactory"/>, the one ASP.NET Core
/// would use, and OpenTelemetry's ASP.NET Core instrumentation exports it.
/// </summary>
internal sealed class AuthenticationInstruments
{
    public const string MeterName = "Microsoft.AspNetCore.Authentication";

    // ASP.NET Core's short-duration buckets, those of http.server.request.duration.
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly Histogram<double> duration;
    private readonly Counter<long> challenges;
    private readonly Counter<long> forbids;
    private readonly Counter<long> signIns;
    private readonly Counter<long> signOuts;

    public AuthenticationInstruments(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        duration = meter.CreateHistogram("aspnetcore.authentication.authenticate.duration", "s", "The authentication duration for a request.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        challenges = meter.CreateCounter<long>("aspnetcore.authentication.challenges", "{request}", "The total number of times a scheme is challenged.");
        forbids = meter.CreateCounter<long>("aspnetcore.authentication.forbids", "{request}",
            "The total number of times an authenticated user attempts to access a resource they are not permitted to access.");
        signIns = meter.CreateCounter<long>("aspnetcore.authentication.sign_ins", "{request}", "The total number of times a principal is signed in.");
        signOuts = meter.CreateCounter<long>("aspnetcore.authentication.sign_outs", "{request}", "The total number of times a scheme is signed out.");
    }

    /// <summary>An authentication that began at <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp) ended with <paramref name="result"/> or threw <paramref name="exception"/>.</summary>
    public void Authenticated(string? scheme, AuthenticateResult? result, Exception? exception, long started)
    {
        if (!duration.Enabled) return;
        var tags = Tags(scheme, exception ?? result?.Failure);
        if (result is not null) tags.Add("aspnetcore.authentication.result", result.None ? "none" : result.Succeeded ? "success" : result.Failure is not null ? "failure" : "_OTHER");
        duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }

    public void Challenged(string? scheme, Exception? exception) => Count(challenges, scheme, exception);

    public void Forbidden(string? scheme, Exception? exception) => Count(forbids, scheme, exception);

    public void SignedIn(string? scheme, Exception? exception) => Count(signIns, scheme, exception);

    public void SignedOut(string? scheme, Exception? exception) => Count(signOuts, scheme, exception);

    private static void Count(Counter<long> counter, string? scheme, Exception? exception)
    {
        if (counter.Enabled) counter.Add(1, Tags(scheme, exception));
    }

    private static TagList Tags(string? scheme, Exception? exception)
    {
        var tags = new TagList();
        if (scheme is not null) tags.Add("aspnetcore.authentication.scheme", scheme);
        if (exception is not null) tags.Add("error.type", exception.GetType().FullName);
        return tags;
    }
}

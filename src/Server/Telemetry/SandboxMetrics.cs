using System.Diagnostics;
using System.Diagnostics.Metrics;
using Sandbox.Engine;

namespace Sandbox.Server.Telemetry;

/// <summary>
/// The instruments of the <c>Sandbox</c> meter. Names and units are listed in docs/service.md
/// (the Grafana dashboard of deploy/ reads them); every measurement carries a <c>tenant</c> attribute.
/// </summary>
public sealed class SandboxMetrics : IDisposable
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string MeterName = "Sandbox";

    /// <summary>Histogram bounds in seconds, from 50 µs to 10 s: guest calls are short, deadlines long.</summary>
    public static readonly double[] SecondsBuckets = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Bounds of <c>rpc.server.duration</c>, in milliseconds as the semantic conventions define it.</summary>
    public static readonly double[] MillisecondsBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    // gRPC's status codes are 0..16.
    private static readonly object[] BoxedCodes = Enumerable.Range(0, 17).Select(code => (object)code).ToArray();
    private static readonly string[] OutcomeNames = Enumerable.Range(0, 17).Select(code => ((Grpc.Core.StatusCode)code).ToString()).ToArray();

    private readonly Meter meter = new(MeterName);
    private readonly Counter<long> calls;
    private readonly Histogram<double> callDuration;
    private readonly Histogram<double> rpcServerDuration;
    private readonly Histogram<double> instantiateDuration;
    private readonly Histogram<double> compileDuration;
    private readonly Counter<long> traps;
    private readonly Counter<long> poolHits;
    private readonly Counter<long> poolMisses;

    /// <summary>Creates the instruments; <see cref="ObserveTenants"/> adds the gauges.</summary>
    public SandboxMetrics()
    {
        calls = meter.CreateCounter<long>("sandbox.calls", "{call}", "RPCs served, by rpc, tenant and outcome (status code)");
        callDuration = meter.CreateHistogram<double>("sandbox.call.duration", "s", "RPC duration, by rpc and tenant",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        rpcServerDuration = meter.CreateHistogram<double>("rpc.server.duration", "ms", "RPC duration (OpenTelemetry RPC semantic conventions)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MillisecondsBuckets });
        instantiateDuration = meter.CreateHistogram<double>("sandbox.instantiate.duration", "s", "Instantiation time in the engine",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        compileDuration = meter.CreateHistogram<double>("sandbox.compile.duration", "s", "Validation and compilation time",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        traps = meter.CreateCounter<long>("sandbox.traps", "{trap}", "Traps, by code");
        poolHits = meter.CreateCounter<long>("sandbox.pool.hits", "{call}", "Execute calls served by a ready instance");
        poolMisses = meter.CreateCounter<long>("sandbox.pool.misses", "{call}", "Execute calls that had to instantiate");
    }

    /// <summary>Adds the per-tenant gauges: live instances, memory bytes and limit, idle pooled instances.</summary>
    public void ObserveTenants(Func<IEnumerable<TenantGauges>> sample)
    {
        meter.CreateObservableGauge("sandbox.instances", () => sample().Select(s => new Measurement<long>(s.Instances, Tag(s.TenantId))), "{instance}", "Live instances");
        meter.CreateObservableGauge("sandbox.memory.bytes", () => sample().Select(s => new Measurement<long>((long)s.MemoryBytes, Tag(s.TenantId))), "By", "Memory and tables in use");
        meter.CreateObservableGauge("sandbox.memory.limit", () => sample().Select(s => new Measurement<long>((long)Math.Min(s.MemoryLimit, long.MaxValue), Tag(s.TenantId))), "By", "Memory budget");
        meter.CreateObservableGauge("sandbox.pool.idle", () => sample().Select(s => new Measurement<long>(s.PoolIdle, Tag(s.TenantId))), "{instance}", "Ready pooled instances");
    }

    /// <summary>Records one finished RPC.</summary>
    public void Call(string rpc, string? tenant, Grpc.Core.StatusCode status, TimeSpan elapsed)
    {
        var tags = new TagList { { "rpc", rpc }, { "tenant", tenant ?? "" }, { "outcome", OutcomeName(status) } };
        calls.Add(1, tags);
        callDuration.Record(elapsed.TotalSeconds, new TagList { { "rpc", rpc }, { "tenant", tenant ?? "" } });
        rpcServerDuration.Record(elapsed.TotalMilliseconds, new TagList
        {
            { "rpc.system", "grpc" }, { "rpc.service", V1.SandboxGrpc.ServiceName }, { "rpc.method", rpc },
            { "rpc.grpc.status_code", Boxed(status) }, { "tenant", tenant ?? "" },
        });
    }

    /// <summary>The status code as a boxed int, boxed once per code rather than per measurement.</summary>
    internal static object Boxed(Grpc.Core.StatusCode status) =>
        (uint)status < (uint)BoxedCodes.Length ? BoxedCodes[(int)status] : (int)status;

    /// <summary>The <c>outcome</c> attribute: the status code's name.</summary>
    internal static string OutcomeName(Grpc.Core.StatusCode status) =>
        (uint)status < (uint)OutcomeNames.Length ? OutcomeNames[(int)status] : status.ToString();

    internal void Trap(string tenant, TrapCode code) => traps.Add(1, new TagList { { "tenant", tenant }, { "code", code.ToString() } });

    internal void Instantiated(string tenant, TimeSpan elapsed) => instantiateDuration.Record(elapsed.TotalSeconds, Tag(tenant));

    internal void Compiled(string tenant, TimeSpan elapsed) => compileDuration.Record(elapsed.TotalSeconds, Tag(tenant));

    internal void PoolHit(string tenant) => poolHits.Add(1, Tag(tenant));

    internal void PoolMiss(string tenant) => poolMisses.Add(1, Tag(tenant));

    /// <inheritdoc/>
    public void Dispose() => meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string tenant) => new("tenant", tenant);
}

/// <summary>One tenant's gauge values at a moment.</summary>
public readonly record struct TenantGauges(string TenantId, long Instances, ulong MemoryBytes, ulong MemoryLimit, long PoolIdle);

using System.Diagnostics.Metrics;

namespace Sandbox.Server.Tests.Infrastructure;

/// <summary>
/// The <c>sandbox.calls</c> outcomes and <c>rpc.server.duration</c> status codes one tenant's calls
/// record, from every server in the process (tests run servers side by side, so a tenant id of
/// its own tells a test's calls apart).
/// </summary>
public sealed class CallMetrics : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly List<(string Rpc, string Outcome)> outcomes = [];
    private readonly List<(string Rpc, int Code)> durations = [];

    public CallMetrics(string tenant)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Sandbox" && instrument.Name is "sandbox.calls" or "rpc.server.duration") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? rpc = null, outcome = null, owner = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "rpc") rpc = tag.Value as string;
                if (tag.Key == "outcome") outcome = tag.Value as string;
                if (tag.Key == "tenant") owner = tag.Value as string;
            }
            if (owner == tenant) lock (outcomes) outcomes.Add((rpc ?? "", outcome ?? ""));
        });
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            string? rpc = null, owner = null;
            var code = -1;
            foreach (var tag in tags)
            {
                if (tag.Key == "rpc.method") rpc = tag.Value as string;
                if (tag.Key == "rpc.grpc.status_code" && tag.Value is int value) code = value;
                if (tag.Key == "tenant") owner = tag.Value as string;
            }
            if (owner == tenant && code >= 0) lock (durations) durations.Add((rpc ?? "", code));
        });
        listener.Start();
    }

    /// <summary>The outcomes of <paramref name="rpc"/> so far, once <paramref name="count"/> have been recorded or 5 s have passed (the server records a call just after its response).</summary>
    public Task<string[]> OutcomesAsync(string rpc, int count = 1) => WaitAsync(outcomes, rpc, count);

    /// <summary>The <c>rpc.grpc.status_code</c> values <c>rpc.server.duration</c> recorded for <paramref name="rpc"/>, waiting as <see cref="OutcomesAsync"/> does.</summary>
    public Task<int[]> DurationCodesAsync(string rpc, int count = 1) => WaitAsync(durations, rpc, count);

    private static async Task<T[]> WaitAsync<T>(List<(string Rpc, T Value)> recorded, string rpc, int count)
    {
        T[] Found()
        {
            lock (recorded) return recorded.Where(r => r.Rpc == rpc).Select(r => r.Value).ToArray();
        }
        for (var wait = 0; wait < 250 && Found().Length < count; wait++) await Task.Delay(20);
        return Found();
    }

    public void Dispose() => listener.Dispose();
}

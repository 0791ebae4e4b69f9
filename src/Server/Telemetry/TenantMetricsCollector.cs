using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Sandbox.V1;

namespace Sandbox.Server.Telemetry;

/// <summary>
/// Listens to the <c>Sandbox</c> meter in process and keeps, per tenant, the same figures the
/// OpenTelemetry exporter sees (sums since start, histograms, last gauge values), for WatchMetrics.
/// </summary>
public sealed class TenantMetricsCollector : IDisposable
{
    private readonly MeterListener listener = new();
    // Keyed by the measurement's own tag values (at most four besides the tenant, in the order the
    // instruments record them), so the hot path allocates nothing once a series exists.
    private readonly ConcurrentDictionary<SeriesKey, Series> series = new();
    private readonly Lock observeLock = new();

    /// <summary>Starts listening.</summary>
    public TenantMetricsCollector()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SandboxMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
    }

    /// <summary>The tenant's figures now (observable gauges are read first).</summary>
    public IReadOnlyList<Metric> Snapshot(string tenant)
    {
        lock (observeLock) listener.RecordObservableInstruments();
        var result = new List<Metric>();
        foreach (var (key, s) in series)
        {
            if (key.Tenant == tenant) result.Add(s.ToMetric(key.Instrument.Name));
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    /// <inheritdoc/>
    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? tenant = null;
        object? v0 = null, v1 = null, v2 = null, v3 = null, v4 = null;
        var n = 0;
        foreach (var (key, tagValue) in tags)
        {
            if (key == "tenant")
            {
                tenant = tagValue as string;
                continue;
            }
            switch (n++)
            {
                case 0: v0 = tagValue; break;
                case 1: v1 = tagValue; break;
                case 2: v2 = tagValue; break;
                case 3: v3 = tagValue; break;
                default: v4 = tagValue; break;
            }
        }
        if (tenant is null) return;
        var seriesKey = new SeriesKey(instrument, tenant, v0, v1, v2, v3, v4);
        if (!series.TryGetValue(seriesKey, out var s))
        {
            s = series.GetOrAdd(seriesKey, static (_, t) => new Series(t.Instrument, Attributes(t.Tags)), (Instrument: instrument, Tags: tags.ToArray()));
        }
        s.Add(value);
    }

    private static SortedDictionary<string, string> Attributes(KeyValuePair<string, object?>[] tags)
    {
        var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            if (key != "tenant") attributes[key] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }
        return attributes;
    }

    private readonly record struct SeriesKey(Instrument Instrument, string Tenant, object? V0, object? V1, object? V2, object? V3, object? V4);

    private sealed class Series(Instrument instrument, SortedDictionary<string, string> attributes)
    {
        private readonly Lock gate = new();
        private readonly double[]? bounds = instrument switch
        {
            Histogram<double> when instrument.Unit == "ms" => SandboxMetrics.MillisecondsBuckets,
            Histogram<double> => SandboxMetrics.SecondsBuckets,
            _ => null,
        };
        private ulong[]? buckets;
        private double total;
        private ulong count;
        private double last;

        public void Add(double value)
        {
            lock (gate)
            {
                count++;
                total += value;
                last = value;
                if (bounds is not null)
                {
                    buckets ??= new ulong[bounds.Length + 1];
                    var i = 0;
                    while (i < bounds.Length && value > bounds[i]) i++;
                    buckets[i]++;
                }
            }
        }

        public Metric ToMetric(string name)
        {
            var metric = new Metric { Name = name, Unit = instrument.Unit ?? "" };
            foreach (var (k, v) in attributes) metric.Attributes[k] = v;
            lock (gate)
            {
                if (bounds is not null)
                {
                    var histogram = new Histogram { Count = count, Sum = total };
                    histogram.ExplicitBounds.AddRange(bounds);
                    histogram.BucketCounts.AddRange(buckets ?? new ulong[bounds.Length + 1]);
                    metric.Histogram = histogram;
                }
                else if (instrument.IsObservable)
                {
                    metric.Gauge = last;
                }
                else
                {
                    metric.Counter = (ulong)total;
                }
            }
            return metric;
        }
    }
}

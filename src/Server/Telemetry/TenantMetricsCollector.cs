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
    private readonly ConcurrentDictionary<(string Tenant, string Name, string Attributes), Series> series = new();
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
        foreach (var ((owner, name, _), s) in series)
        {
            if (owner == tenant) result.Add(s.ToMetric(name));
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    /// <inheritdoc/>
    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? tenant = null;
        var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, tagValue) in tags)
        {
            if (key == "tenant") tenant = tagValue as string;
            else attributes[key] = Convert.ToString(tagValue, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }
        if (tenant is null) return;
        var key2 = (tenant, instrument.Name, string.Join('&', attributes.Select(a => a.Key + "=" + a.Value)));
        var s = series.GetOrAdd(key2, _ => new Series(instrument, attributes));
        s.Add(value);
    }

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

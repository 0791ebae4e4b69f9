using System.CommandLine;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Sandbox.Cli.Internal;
using Grpc.Core;
using Sandbox.V1;

namespace Sandbox.Cli.Commands;

/// <summary>
/// <c>sandbox watch-metrics [--interval 1s] [--count N]</c>: WatchMetrics until Ctrl+C, N
/// samples, or the end of --timeout, each a normal end (exit code 0).
/// </summary>
internal static class WatchMetricsCommand
{
    public static Command Create(GlobalOptions global)
    {
        var interval = new Option<TimeSpan?>("--interval")
        {
            Description = "Time between samples, e.g. 500ms or 5s. Default: the server's (1s).",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (DurationText.TryParse(text, out var value)) return value;
                result.AddError($"'{text}' is not a duration: write e.g. 500ms or 5s.");
                return null;
            },
        };
        var count = new Option<ulong?>("--count") { Description = "Stop after this many samples. Default: until Ctrl+C.", CustomParser = r => NumberText.ParseUInt64(r) };
        var command = new Command("watch-metrics", "Streams the tenant's metrics until Ctrl+C.") { interval, count };
        global.SetAction(command, async (context, parseResult) =>
        {
            var request = new WatchMetricsRequest();
            if (parseResult.GetValue(interval) is { } every) request.Interval = Duration.FromTimeSpan(every);
            var remaining = parseResult.GetValue(count) ?? ulong.MaxValue;
            if (remaining == 0) return 0;

            // Our own token, so that reaching --count ends the call (the stream is reset) cleanly.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            try
            {
                await foreach (var sample in context.Client.WatchMetrics(request, null, context.Deadline, stop.Token).ConfigureAwait(false))
                {
                    await context.PrintAsync(sample, Write).ConfigureAwait(false);
                    if (--remaining == 0)
                    {
                        break;
                    }
                }
            }
            catch (Exception e) when (context.CancellationToken.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                // Ctrl+C is how a watch normally ends.
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded && context.HasTimeout)
            {
                // With --timeout, a watch lasts that long: its end is not a failure.
            }
            return 0;
        });
        return command;
    }

    private static void Write(TextWriter output, MetricsSample sample)
    {
        output.WriteLine($"{sample.Time?.ToDateTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} tenant {sample.TenantId}");
        HumanOutput.WriteUsage(output, sample.Usage, sample.Limits);
        foreach (var metric in sample.Metrics)
        {
            var attributes = string.Join(",", metric.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));
            var value = metric.ValueCase switch
            {
                Metric.ValueOneofCase.Counter => metric.Counter.ToString(CultureInfo.InvariantCulture),
                Metric.ValueOneofCase.Gauge => metric.Gauge.ToString("G", CultureInfo.InvariantCulture),
                Metric.ValueOneofCase.Histogram => $"count {metric.Histogram.Count} sum {metric.Histogram.Sum.ToString("G", CultureInfo.InvariantCulture)}",
                _ => "-",
            };
            output.WriteLine($"  {metric.Name}{{{attributes}}} {value} {metric.Unit}");
        }
    }
}

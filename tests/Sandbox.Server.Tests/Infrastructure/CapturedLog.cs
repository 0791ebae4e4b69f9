using System.Collections.Concurrent;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;

namespace Sandbox.Server.Tests.Infrastructure;

/// <summary>
/// A Serilog sink that keeps a server's log events in memory, configured through the server's
/// own settings as any sink is (Serilog.Settings.Configuration: <see cref="Settings"/>), so the
/// server under test runs unchanged. Each capture has a name of its own, as servers run side by side.
/// </summary>
public sealed class CapturedLog : ILogEventSink
{
    private static readonly ConcurrentDictionary<string, CapturedLog> Captures = new();
    private readonly ConcurrentQueue<LogEvent> events = new();

    private CapturedLog()
    {
    }

    /// <summary>The capture's name in <see cref="Settings"/>.</summary>
    public string Name { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The events so far.</summary>
    public IReadOnlyCollection<LogEvent> Events => events;

    /// <summary>A new, empty capture.</summary>
    public static CapturedLog Create()
    {
        var capture = new CapturedLog();
        Captures[capture.Name] = capture;
        return capture;
    }

    /// <summary>The settings that add this sink to a server's logger (<c>Serilog:Using</c> names this assembly, <c>Serilog:WriteTo</c> the sink).</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Serilog:Using:0", typeof(CapturedLog).Assembly.GetName().Name),
        new("Serilog:WriteTo:0:Name", nameof(CapturedLogConfiguration.Captured)),
        new("Serilog:WriteTo:0:Args:name", Name),
    ];

    /// <summary>The request log lines (Serilog.AspNetCore's), once <paramref name="count"/> have come or 5 s have passed: the line is written just after the response.</summary>
    public async Task<LogEvent[]> RequestLinesAsync(int count = 1)
    {
        LogEvent[] Found() => events.Where(e => e.Properties.TryGetValue("SourceContext", out var source)
            && source is ScalarValue { Value: "Serilog.AspNetCore.RequestLoggingMiddleware" }).ToArray();
        for (var wait = 0; wait < 250 && Found().Length < count; wait++) await Task.Delay(20);
        return Found();
    }

    /// <summary>Called by the <c>Captured</c> configuration method.</summary>
    internal static CapturedLog Named(string name) => Captures.TryGetValue(name, out var capture) ? capture : throw new InvalidOperationException($"No capture named {name}.");

    public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);
}

/// <summary>The <c>WriteTo</c> method Serilog.Settings.Configuration finds by name.</summary>
public static class CapturedLogConfiguration
{
    public static LoggerConfiguration Captured(this LoggerSinkConfiguration sinks, string name) => sinks.Sink(CapturedLog.Named(name));
}

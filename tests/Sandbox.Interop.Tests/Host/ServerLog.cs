using Microsoft.Extensions.Logging;

namespace Sandbox.Interop.Tests.Host;

/// <summary>
/// Keeps the host's log lines in memory, so a failing case can show what the server saw while the
/// foreign client ran. Tests in a class run one at a time, so a slice taken by position belongs to
/// one case.
/// </summary>
public sealed class ServerLog : ILoggerProvider
{
    private readonly List<(LogLevel Level, string Text)> lines = [];

    /// <summary>How many lines have been logged so far; a position for <see cref="LinesSince"/>.</summary>
    public int Position
    {
        get
        {
            lock (lines)
            {
                return lines.Count;
            }
        }
    }

    /// <summary>The lines logged since <paramref name="position"/>, at <paramref name="minimumLevel"/> or above.</summary>
    public IReadOnlyList<string> LinesSince(int position, LogLevel minimumLevel = LogLevel.Trace)
    {
        lock (lines)
        {
            var since = new List<string>();
            for (var i = position; i < lines.Count; i++)
            {
                if (lines[i].Level >= minimumLevel)
                {
                    since.Add(lines[i].Text);
                }
            }
            return since;
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogLevel level, string text)
    {
        lock (lines)
        {
            lines.Add((level, text));
        }
    }

    private sealed class Logger(ServerLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} {category}[{eventId.Id}] {formatter(state, exception)}";
            log.Add(logLevel, exception is null ? line : line + Environment.NewLine + exception);
        }
    }
}

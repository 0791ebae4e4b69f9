using System.Collections.Concurrent;

namespace Sandbox.Grpc.Tests.Infrastructure;

/// <summary>A clock that stands still and timers that fire only when a test says so.</summary>
public sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    private readonly ConcurrentQueue<ManualTimer> timers = new();

    public override DateTimeOffset GetUtcNow() => now;

    /// <summary>The due times of the timers created so far.</summary>
    public IEnumerable<TimeSpan> DueTimes => timers.Select(timer => timer.DueTime);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(callback, state, dueTime);
        timers.Enqueue(timer);
        return timer;
    }

    /// <summary>Fires every timer not yet disposed, as if their due time had come.</summary>
    public void FireAll()
    {
        foreach (var timer in timers)
        {
            timer.Fire();
        }
    }

    private sealed class ManualTimer(TimerCallback callback, object? state, TimeSpan dueTime) : ITimer
    {
        private bool disposed;

        public TimeSpan DueTime { get; } = dueTime;

        public void Fire()
        {
            if (!disposed)
            {
                callback(state);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => throw new NotSupportedException();

        public void Dispose() => disposed = true;

        public ValueTask DisposeAsync()
        {
            disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}

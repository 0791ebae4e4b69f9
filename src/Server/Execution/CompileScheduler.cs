using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Sandbox.Engine;

namespace Sandbox.Server.Execution;

/// <summary>
/// Where modules are compiled: on <see cref="SandboxServerOptions.ConcurrentCompiles"/> dedicated
/// threads at the guest threads' lower priority, never on a request thread. Issue 13: six
/// concurrent compiles of heavy modules on request threads pushed health-check p99 to 850-980 ms;
/// here the rest of the server keeps its threads and a core, and further compiles wait their turn
/// (each tenant also has its own limit, <see cref="Tenancy.TenantLimits.ConcurrentCompiles"/>,
/// taken before a compile queues here, so one tenant cannot fill the queue).
/// </summary>
internal sealed class CompileScheduler : IDisposable
{
    // Validation and compilation walk nested blocks with explicit stacks, but the generated IL of
    // a deeply nested body is still verified by Reflection.Emit: a guest thread's stack is safe.
    private const int StackBytes = GuestExecution.GuestStackBytes;

    private readonly Channel<Work> queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });

    public CompileScheduler(IOptions<SandboxServerOptions> options)
    {
        Concurrency = options.Value.ConcurrentCompiles > 0 ? options.Value.ConcurrentCompiles : Math.Max(1, Environment.ProcessorCount - 1);
        for (var i = 0; i < Concurrency; i++)
        {
            new Thread(Run, StackBytes) { IsBackground = true, Name = $"sandbox-compile-{i}" }.Start();
        }
    }

    /// <summary>Compilations that run at once; more wait in arrival order.</summary>
    public int Concurrency { get; }

    /// <summary>
    /// Runs <paramref name="compile"/> on a compile thread, then <paramref name="finished"/> (once,
    /// whether it ran or not). A compile still queued when <paramref name="cancellationToken"/>
    /// fires never runs and its task is cancelled at once; one already running completes (the
    /// engine's compiler cannot stop half-way) and <paramref name="finished"/> runs only then, so
    /// a slot released there bounds the compiles really running.
    /// </summary>
    public Task<T> RunAsync<T>(Func<T> compile, Action finished, CancellationToken cancellationToken)
    {
        var work = new Work<T>(compile, finished, cancellationToken);
        if (!queue.Writer.TryWrite(work))
        {
            work.Cancel();
            throw new ObjectDisposedException(nameof(CompileScheduler));
        }
        return work.Completion.Task;
    }

    public void Dispose() => queue.Writer.TryComplete();

    private void Run()
    {
        GuestExecution.LowerCurrentThreadPriority();
        var reader = queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var work)) work.Execute();
        }
    }

    private abstract class Work
    {
        public abstract void Execute();
    }

    private sealed class Work<T> : Work
    {
        private const int Queued = 0, Running = 1, Done = 2;
        private readonly Func<T> compile;
        private readonly Action finished;
        private readonly CancellationTokenRegistration registration;
        private int state;

        public Work(Func<T> compile, Action finished, CancellationToken cancellationToken)
        {
            this.compile = compile;
            this.finished = finished;
            registration = cancellationToken.UnsafeRegister(static work => ((Work<T>)work!).Cancel(), this);
        }

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Cancels the work if it has not started.</summary>
        public void Cancel()
        {
            if (Interlocked.CompareExchange(ref state, Done, Queued) != Queued) return;
            Completion.TrySetCanceled();
            finished();
        }

        public override void Execute()
        {
            if (Interlocked.CompareExchange(ref state, Running, Queued) != Queued) return;
            registration.Dispose();
            try
            {
                var result = compile();
                state = Done;
                finished();
                Completion.TrySetResult(result);
            }
            catch (Exception e)
            {
                state = Done;
                finished();
                Completion.TrySetException(e);
            }
        }
    }
}

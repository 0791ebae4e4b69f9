using System.Runtime.CompilerServices;
using Sandbox.Engine.Runtime;

namespace Sandbox.Engine.Compilation;

/// <summary>
/// Has RyuJIT compile a new module's methods on background threads, so that the first calls of
/// a large program find most of their machine code made instead of stopping to JIT each function
/// (a Lua interpreter's run spent more than half its time in the JIT on the calling thread).
/// </summary>
/// <remarks>
/// <para>Methods are prepared in the order a run is likely to need them (<see cref="ModuleCompiler"/>
/// gives it: the start function's and the exports' call graphs first). Modules are taken newest
/// first: the one compiled last is the one about to run. A method already compiled by a call is
/// passed over at once, and one being compiled by a call is finished by whichever thread started
/// it, the other waiting for it, so the work is never done twice.</para>
/// <para>The workers run at the guest threads' priority (<see cref="ThreadNice"/>): a CPU full of
/// them leaves the host's request threads a core, and a guest that waits for a method a worker
/// has started waits for a thread of its own weight. The machine code is what
/// <see cref="Module.CodeBytes"/> already charges for every function.</para>
/// <para>A job holds its module and code weakly: a module dropped before its methods are all
/// prepared is unloaded as before, and its job ends (<see cref="Job"/>).</para>
/// </remarks>
internal static class BackgroundJit
{
    /// <summary>Worker threads: all cores but one (the caller's), at least one, at most four.</summary>
    public static readonly int Workers = Math.Clamp(Environment.ProcessorCount - 1, 1, 4);

    /// <summary>The most jobs kept: past it the oldest are dropped, their methods left to be compiled on first call.</summary>
    public const int MaxJobs = 256;

    private static readonly List<Job> jobs = [];
    private static readonly SemaphoreSlim work = new(0);
    private static int started;

    /// <summary>Methods prepared by the workers since the process started (for tests and diagnostics).</summary>
    public static long Prepared => Interlocked.Read(ref prepared);
    private static long prepared;

    /// <summary>Queues the methods of <paramref name="module"/>'s <paramref name="code"/>, by metadata token, in the order given.</summary>
    public static void Enqueue(Module module, CompiledCode code, int[] tokens)
    {
        if (tokens.Length == 0 || code.Types.Length == 0) return;
        StartWorkers();
        lock (jobs)
        {
            if (jobs.Count >= MaxJobs) jobs.RemoveAll(job => job.Done || !job.Module.TryGetTarget(out _));
            if (jobs.Count >= MaxJobs)
            {
                jobs[0].Drop();
                jobs.RemoveAt(0);
            }
            var job = new Job(new WeakReference<Module>(module), new WeakReference<Type>(code.Types[0]), tokens);
            code.Background = job.Finished;
            jobs.Add(job);
        }
        work.Release(Workers);
    }

    private static void StartWorkers()
    {
        if (Volatile.Read(ref started) != 0 || Interlocked.Exchange(ref started, 1) != 0) return;
        for (var i = 0; i < Workers; i++)
        {
            // A deep method takes RyuJIT deep recursion: the guest threads' stack, not the default.
            new Thread(Run, GuestThreads.StackSize) { IsBackground = true, Name = "Sandbox JIT" }.Start();
        }
    }

    private static void Run()
    {
        ThreadNice.LowerCurrent();
        while (true)
        {
            work.Wait();
            while (TryTake(out var job, out var token)) Prepare(job, token);
        }
    }

    /// <summary>The next method of the newest job with any left; dead and finished jobs are removed on the way.</summary>
    // Not inlined, nor Prepare: a module or type read in the loop's own frame could stay reported live there.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryTake(out Job job, out int token)
    {
        lock (jobs)
        {
            for (var i = jobs.Count - 1; i >= 0; i--)
            {
                job = jobs[i];
                if (job.Done || !job.Module.TryGetTarget(out _))
                {
                    if (!job.Done) job.Drop();
                    jobs.RemoveAt(i);
                    continue;
                }
                token = job.Tokens[job.Next++];
                if (job.Done) job.Tokens = [];
                return true;
            }
        }
        job = null!;
        token = 0;
        return false;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Prepare(Job job, int token)
    {
        // The type is held only while its method compiles, so the code can unload between methods.
        if (job.Code.TryGetTarget(out var type))
        {
            try
            {
                RuntimeHelpers.PrepareMethod(type.Module.ModuleHandle.ResolveMethodHandle(token));
                Interlocked.Increment(ref prepared);
            }
            catch (Exception)
            {
                // Whatever the JIT refuses here it refuses on the call too, which reports it as the
                // call's error; a worker only gives up the head start.
            }
        }
        job.Complete();
    }

    /// <remarks>
    /// Whether the module is still wanted is asked of the module, not of the type the worker holds
    /// while it compiles: a worker is nearly always inside some method's compile, and the type it
    /// holds keeps the code loaded, so a garbage collection would seldom find the code dead. The
    /// module is not held by its code (Backtraces keeps it weakly), so it goes when its users let
    /// go of it; then the job ends, the type is let go, and the code unloads.
    /// </remarks>
    private sealed class Job(WeakReference<Module> module, WeakReference<Type> code, int[] tokens)
    {
        private readonly TaskCompletionSource<bool> finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly int total = tokens.Length;
        private int completed;

        public WeakReference<Module> Module { get; } = module;

        public WeakReference<Type> Code { get; } = code;

        /// <summary>True once every method has been through the JIT; false if the job was dropped first.</summary>
        public Task<bool> Finished => finished.Task;

        public void Complete()
        {
            if (Interlocked.Increment(ref completed) == total) finished.TrySetResult(true);
        }

        public void Drop()
        {
            Tokens = [];
            finished.TrySetResult(false);
        }

        /// <summary>Emptied once all are handed out, so a finished job holds no array.</summary>
        public int[] Tokens { get; set; } = tokens;

        public int Next { get; set; }

        public bool Done => Next >= Tokens.Length;
    }
}

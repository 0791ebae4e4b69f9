using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

/// <summary>
/// Loaded into the server by <c>DOTNET_STARTUP_HOOKS</c>: counts allocated bytes by type from the
/// runtime's AllocationTick events (one about every 100 KB allocated, naming the type that crossed
/// the mark), so a type's share is an estimate that converges over millions of allocations.
/// Controlled through files beside <c>ALLOCATIONS_OUT</c>: creating <c>OUT.reset</c> forgets what
/// was counted, creating <c>OUT.dump</c> writes the counts to <c>OUT</c>.
/// </summary>
internal static class StartupHook
{
    private static AllocationTicks? ticks;

    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable("ALLOCATIONS_OUT") ?? throw new InvalidOperationException("ALLOCATIONS_OUT is not set");
        ticks = new AllocationTicks();
        var control = new Thread(() => Serve(ticks, path)) { IsBackground = true, Name = "allocation ticks" };
        control.Start();
    }

    private static void Serve(AllocationTicks ticks, string path)
    {
        while (true)
        {
            Thread.Sleep(200);
            if (File.Exists(path + ".reset"))
            {
                ticks.Bytes.Clear();
                File.Delete(path + ".reset");
            }
            if (File.Exists(path + ".dump"))
            {
                var lines = ticks.Bytes.OrderByDescending(p => p.Value).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Value}\t{p.Key}"));
                File.WriteAllLines(path + ".tmp", lines);
                File.Move(path + ".tmp", path, overwrite: true);
                File.Delete(path + ".dump");
            }
        }
    }

    private sealed class AllocationTicks : EventListener
    {
        private const int AllocationTickEvent = 10;
        private const EventKeywords GcKeyword = (EventKeywords)0x1;

        public ConcurrentDictionary<string, long> Bytes { get; } = new();

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventId != AllocationTickEvent || e.PayloadNames is not { } names || e.Payload is not { } payload) return;
            var type = payload[names.IndexOf("TypeName")] as string ?? "?";
            var amount = Convert.ToInt64(payload[names.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
            Bytes.AddOrUpdate(type, amount, (_, total) => total + amount);
        }
    }
}

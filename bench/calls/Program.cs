using System.Diagnostics;
using System.Globalization;
using Sandbox.Engine;

// Calls of add(i32, i32) through Function.Invoke, each thread on an instance of its own, pinned to
// its thread (CallOptions.RunOnCallingThread, so no inline-slot accounting is measured): with no
// limit, with a timeout (as the server gives every call: the tenant's deadline), and with a timeout
// and a cancellation token (the server's RPC token). Prints calls per second over all threads and
// nanoseconds per call on each thread, on one thread and on every core; a deadline that costs the
// same per thread on every core is one that no lock shared by the threads serializes.
//   dotnet run -c Release --project bench/calls -- [--seconds 2] [--rounds 2]
var seconds = 2.0;
var rounds = 2;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: throw new ArgumentException($"unknown argument {args[i]}");
    }
}

// (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
byte[] add =
[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,                         // magic, version 1
    0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,                   // type: (i32 i32) -> i32
    0x03, 0x02, 0x01, 0x00,                                                 // function 0: type 0
    0x07, 0x07, 0x01, 0x03, (byte)'a', (byte)'d', (byte)'d', 0x00, 0x00,    // export "add"
    0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,       // local.get 0, local.get 1, i32.add
];
var module = Module.FromBytes(add);
int[] threadCounts = Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];
Console.WriteLine($"{Environment.ProcessorCount} cores, {seconds} s per case");
for (var round = 1; round <= rounds; round++)
{
    foreach (var mode in new[] { "none", "timeout", "timeout+token" })
    {
        foreach (var threads in threadCounts)
        {
            var calls = Run(module, mode, threads, TimeSpan.FromSeconds(seconds));
            Console.WriteLine($"round {round} {mode,-14} {threads,2} thread(s): {calls / seconds / 1e6,6:F2} M calls/s, {seconds * threads * 1e9 / calls,5:F0} ns/call per thread");
        }
    }
}

static long Run(Module module, string mode, int threads, TimeSpan duration)
{
    var total = 0L;
    using var start = new Barrier(threads + 1);
    var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
    {
        var function = new Instance(module, [], new InstanceOptions()).GetFunction("add")!;
        Value[] arguments = [Value.FromI32(1), Value.FromI32(2)];
        var results = new Value[1];
        using var cancellation = new CancellationTokenSource();
        var options = mode switch
        {
            "none" => new CallOptions { RunOnCallingThread = true },
            "timeout" => new CallOptions { RunOnCallingThread = true, Timeout = TimeSpan.FromSeconds(5) },
            _ => new CallOptions { RunOnCallingThread = true, Timeout = TimeSpan.FromSeconds(5), CancellationToken = cancellation.Token },
        };
        for (var i = 0; i < 100_000; i++) function.Invoke(arguments, results, options); // tier-1 code before timing
        start.SignalAndWait();
        var calls = 0L;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            for (var i = 0; i < 1000; i++) function.Invoke(arguments, results, options);
            calls += 1000;
        }
        Interlocked.Add(ref total, calls);
    }, 16 << 20)).ToList();
    workers.ForEach(worker => worker.Start());
    start.SignalAndWait();
    workers.ForEach(worker => worker.Join());
    return total;
}

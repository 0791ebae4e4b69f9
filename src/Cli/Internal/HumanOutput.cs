using System.Globalization;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Sandbox.Client;
using Grpc.Core;
using Sandbox.V1;

namespace Sandbox.Cli.Internal;

/// <summary>The human-readable forms of responses and errors.</summary>
internal static class HumanOutput
{
    /// <summary>A failed call as one line, <c>sandbox: NotFound: no such instance</c>, plus the trap when there is one.</summary>
    public static string FormatStatus(RpcException exception)
    {
        var text = new StringBuilder("sandbox: ").Append(exception.StatusCode);
        if (!string.IsNullOrEmpty(exception.Status.Detail))
        {
            text.Append(": ").Append(exception.Status.Detail);
        }
        if (exception.TryGetTrap(out var trap))
        {
            text.AppendLine().Append(FormatTrap(trap));
        }
        return text.ToString();
    }

    /// <summary>
    /// The trap's code and its backtrace, in wasmtime's layout (the status line before it already
    /// carries the trap's message):
    /// <code>
    /// trap code: integer divide by zero
    /// wasm backtrace:
    ///     0:     0x4f - calc!div
    ///     1:          - calc!&lt;wasm function 2&gt;
    /// </code>
    /// </summary>
    public static string FormatTrap(Trap trap)
    {
        var text = new StringBuilder("trap code: ").Append(TrapName(trap.Code));
        if (trap.Backtrace.Count > 0)
        {
            text.AppendLine().Append("wasm backtrace:");
        }
        for (var i = 0; i < trap.Backtrace.Count; i++)
        {
            var frame = trap.Backtrace[i];
            var offset = frame.HasModuleOffset ? $"0x{frame.ModuleOffset.ToString("x", CultureInfo.InvariantCulture)}" : "";
            var function = string.IsNullOrEmpty(frame.FunctionName) ? $"<wasm function {frame.FunctionIndex.ToString(CultureInfo.InvariantCulture)}>" : frame.FunctionName;
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {i,3}: {offset,8} - {frame.Module}!{function}");
        }
        return text.ToString();
    }

    /// <summary><c>TRAP_CODE_INTEGER_DIVIDE_BY_ZERO</c> → <c>integer divide by zero</c>.</summary>
    public static string TrapName(TrapCode code)
    {
        var name = ProtoEnum.Name(code);
        const string Prefix = "TRAP_CODE_";
        return (name.StartsWith(Prefix, StringComparison.Ordinal) ? name[Prefix.Length..] : name).Replace('_', ' ').ToLowerInvariant();
    }

    public static void WriteImportsAndExports(TextWriter output, IEnumerable<ImportDescriptor> imports, IEnumerable<ExportDescriptor> exports)
    {
        foreach (var import in imports)
        {
            output.WriteLine($"  import {import.Module}.{import.Name}: {import.Type}");
        }
        foreach (var export in exports)
        {
            output.WriteLine($"  export {export.Name}: {export.Type}");
        }
    }

    /// <summary><c>memory 0 "memory": 2 pages × 65536 = 131072 bytes (min 1, max 16, shared)</c>.</summary>
    public static string FormatMemory(MemoryInfo memory)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"memory {memory.Index}");
        if (!string.IsNullOrEmpty(memory.Name))
        {
            text.Append(CultureInfo.InvariantCulture, $" \"{memory.Name}\"");
        }
        text.Append(CultureInfo.InvariantCulture, $": {memory.Pages} pages x {memory.PageSize} = {memory.ByteLength} bytes (min {memory.MinimumPages}");
        text.Append(memory.HasMaximumPages ? $", max {memory.MaximumPages.ToString(CultureInfo.InvariantCulture)}" : ", no max");
        if (memory.Shared) text.Append(", shared");
        if (memory.Imported) text.Append(", imported");
        return text.Append(')').ToString();
    }

    /// <summary>The classic 16-bytes-per-line dump: offset, hex bytes, printable ASCII.</summary>
    public static void WriteHexDump(TextWriter output, ulong offset, ReadOnlySpan<byte> data)
    {
        const int BytesPerLine = 16;
        var line = new StringBuilder();
        for (var start = 0; start < data.Length; start += BytesPerLine)
        {
            var row = data.Slice(start, Math.Min(BytesPerLine, data.Length - start));
            line.Clear().Append(CultureInfo.InvariantCulture, $"{offset + (ulong)start:x8}  ");
            for (var i = 0; i < BytesPerLine; i++)
            {
                line.Append(i < row.Length ? row[i].ToString("x2", CultureInfo.InvariantCulture) + " " : "   ");
                if (i == 7) line.Append(' ');
            }
            line.Append(" |");
            foreach (var b in row)
            {
                line.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
            }
            output.WriteLine(line.Append('|').ToString());
        }
    }

    public static string FormatDuration(Duration? duration) =>
        duration is null ? "-" : FormatTimeSpan(duration.ToTimeSpan());

    public static string FormatTimeSpan(TimeSpan span) =>
        span.TotalSeconds >= 1 ? span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s"
        : span.TotalMilliseconds >= 1 ? span.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms"
        : (span.Ticks / 10.0).ToString("0.#", CultureInfo.InvariantCulture) + " µs";

    public static void WriteStats(TextWriter output, CallStats? stats)
    {
        if (stats is null) return;
        var fuel = stats.HasFuelConsumed ? $", fuel {stats.FuelConsumed.ToString(CultureInfo.InvariantCulture)}" : "";
        output.WriteLine($"({FormatDuration(stats.Duration)}{fuel})");
    }

    public static void WriteUsage(TextWriter output, TenantUsage? usage, TenantLimits? limits)
    {
        usage ??= new TenantUsage();
        limits ??= new TenantLimits();
        output.WriteLine($"  memory           {usage.MemoryBytes} / {limits.MemoryBytes} bytes");
        output.WriteLine($"  instances        {usage.Instances} / {limits.Instances}");
        output.WriteLine($"  modules cached   {usage.ModulesCached} / {limits.ModulesCached}");
        output.WriteLine($"  concurrent calls {usage.ConcurrentCalls} / {limits.ConcurrentCalls}");
        output.WriteLine($"  pooled instances {usage.PooledInstances}");
    }
}

using System.Text;
using Sandbox.Engine;
using Grpc.Core;
using Sandbox.V1;
using ProtoTrapCode = Sandbox.V1.TrapCode;

namespace Sandbox.Server.Internal;

/// <summary>
/// Engine traps as the API's structured <see cref="Trap"/>; the status code itself comes from
/// <see cref="TrapStatus"/>, the one place that maps it.
/// </summary>
/// <remarks>
/// A trap's details are bounded whatever the guest does (issue 13: a trap 99,000 frames deep sent
/// a 6.7 MB trailer, and clients with the common 8 KiB metadata limit saw RESOURCE_EXHAUSTED
/// instead of the trap). The backtrace keeps the <see cref="InnermostFrames"/> innermost and the
/// <see cref="OutermostFrames"/> outermost frames and counts the rest in
/// <see cref="Trap.ElidedFrames"/>; names and the message are cut to a few hundred bytes. The
/// serialized trap then stays under <see cref="MaxTrapBytes"/>, so that with the status message
/// all trailers stay under 6 KiB.
/// </remarks>
internal static class Traps
{
    /// <summary>Frames kept from the innermost end of a backtrace (where the trap happened).</summary>
    public const int InnermostFrames = 12;

    /// <summary>Frames kept from the outermost end (the export the call entered by).</summary>
    public const int OutermostFrames = 4;

    /// <summary>The longest function name kept in a frame, in UTF-8 bytes; longer ones end with "…".</summary>
    public const int MaxNameBytes = 128;

    /// <summary>The longest trap message kept, in UTF-8 bytes (it also goes into grpc-message).</summary>
    public const int MaxMessageBytes = 512;

    /// <summary>
    /// The most bytes of a serialized <see cref="Trap"/>: 16 frames of a 128-byte name and a 64-digit
    /// module id, and the message, fit. Base64 in the trailer makes it 4/3 as large.
    /// </summary>
    public const int MaxTrapBytes = 4096;

    public static ProtoTrapCode ToProto(Engine.TrapCode code) =>
        // The proto enum mirrors the engine's one for one (sandbox.proto, TrapCode), so the names match.
        Enum.TryParse<ProtoTrapCode>(code.ToString(), out var mapped) ? mapped : ProtoTrapCode.Unspecified;

    public static RpcException ToRpcException(TrapException trap, ServerCallContext context, string module)
    {
        // An interrupt is the client's cancel only when its deadline has not passed.
        var cancelledByClient = trap.Code == Engine.TrapCode.Interrupted
            && context.CancellationToken.IsCancellationRequested && !Deadlines.Passed(context);
        return TrapStatus.ToRpcException(ToProto(trap, module), cancelledByClient);
    }

    /// <summary>The trap as the API describes it, bounded as the remarks say.</summary>
    public static Trap ToProto(TrapException trap, string module) => ToProto(trap.Code, trap.Message, trap.Backtrace, module);

    /// <summary>A trap of <paramref name="code"/> with <paramref name="frames"/>, innermost first, bounded as the remarks say.</summary>
    public static Trap ToProto(Engine.TrapCode code, string text, IReadOnlyList<WasmFrame> frames, string module)
    {
        var message = new Trap { Code = ToProto(code), Message = Truncate(text, MaxMessageBytes) };
        var kept = frames.Count <= InnermostFrames + OutermostFrames ? frames.Count : InnermostFrames;
        for (var i = 0; i < kept; i++) message.Backtrace.Add(ToProto(frames[i], module));
        if (kept < frames.Count)
        {
            message.ElidedFrames = (uint)(frames.Count - InnermostFrames - OutermostFrames);
            for (var i = frames.Count - OutermostFrames; i < frames.Count; i++) message.Backtrace.Add(ToProto(frames[i], module));
        }
        return message;
    }

    private static Frame ToProto(WasmFrame frame, string module) => new()
    {
        FunctionIndex = frame.FunctionIndex,
        FunctionName = Truncate(frame.FunctionName ?? "", MaxNameBytes),
        Module = module,
    };

    /// <summary><paramref name="text"/> in at most <paramref name="maxBytes"/> UTF-8 bytes, cut at a character boundary and marked with "…".</summary>
    internal static string Truncate(string text, int maxBytes)
    {
        // Cheap test first: a string of n chars takes at most 3n UTF-8 bytes.
        if (text.Length * 3 <= maxBytes || Encoding.UTF8.GetByteCount(text) <= maxBytes) return text;
        const string Ellipsis = "…"; // 3 bytes
        var budget = maxBytes - Encoding.UTF8.GetByteCount(Ellipsis);
        var end = 0;
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > budget) break;
            used += rune.Utf8SequenceLength;
            end += rune.Utf16SequenceLength;
        }
        return string.Concat(text.AsSpan(0, end), Ellipsis);
    }
}

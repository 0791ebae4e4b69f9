using Grpc.Core;

namespace Sandbox.Server.Internal;

/// <summary>Telling a call ended by its deadline from one the client cancelled: the call's token fires for both.</summary>
internal static class Deadlines
{
    // A client whose deadline passes resets the stream at its own deadline, which comes before the
    // server's (computed from grpc-timeout on arrival, so later by the request's transit and any
    // wait for a thread, tens of milliseconds on a loaded machine): the call's token then fires as
    // for a cancel, early. A cancel that close to the deadline is counted as the deadline; the
    // client has gone either way, so only metrics and logs see the difference.
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(250);

    /// <summary>True when the call's deadline has passed (or is within a few milliseconds), so its end is DEADLINE_EXCEEDED rather than CANCELLED.</summary>
    public static bool Passed(ServerCallContext context) =>
        context.Deadline != DateTime.MaxValue && DateTime.UtcNow + Tolerance >= context.Deadline;
}

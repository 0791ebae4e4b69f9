using Sandbox.Engine;
using Grpc.Core;
using Sandbox.V1;
using ProtoTrapCode = Sandbox.V1.TrapCode;

namespace Sandbox.Server.Internal;

/// <summary>Engine traps as the API's structured <see cref="Trap"/>; the status code itself comes from <see cref="TrapStatus"/>, the one place that maps it.</summary>
internal static class Traps
{
    public static ProtoTrapCode ToProto(Engine.TrapCode code) =>
        // The proto enum mirrors the engine's one for one (sandbox.proto, TrapCode), so the names match.
        Enum.TryParse<ProtoTrapCode>(code.ToString(), out var mapped) ? mapped : ProtoTrapCode.Unspecified;

    public static RpcException ToRpcException(TrapException trap, ServerCallContext context, string module)
    {
        var message = new Trap { Code = ToProto(trap.Code), Message = trap.Message };
        foreach (var frame in trap.Backtrace)
        {
            message.Backtrace.Add(new Frame { FunctionIndex = frame.FunctionIndex, FunctionName = frame.FunctionName ?? "", Module = module });
        }
        // An interrupt is the client's cancel only when its deadline has not passed.
        var cancelledByClient = trap.Code == Engine.TrapCode.Interrupted
            && context.CancellationToken.IsCancellationRequested && DateTime.UtcNow < context.Deadline;
        return TrapStatus.ToRpcException(message, cancelledByClient);
    }
}

using Sandbox.Client;
using Grpc.Core;
using Sandbox.V1;

namespace Sandbox.Server.Tests.Api;

/// <summary>The trap → status table of sandbox.proto's "Traps" section.</summary>
public sealed class TrapStatusTests
{
    [Theory]
    [InlineData(TrapCode.Unreachable, false, StatusCode.Aborted)]
    [InlineData(TrapCode.MemoryOutOfBounds, false, StatusCode.Aborted)]
    [InlineData(TrapCode.TableOutOfBounds, false, StatusCode.Aborted)]
    [InlineData(TrapCode.IndirectCallToNull, false, StatusCode.Aborted)]
    [InlineData(TrapCode.IndirectCallTypeMismatch, false, StatusCode.Aborted)]
    [InlineData(TrapCode.IntegerDivideByZero, false, StatusCode.Aborted)]
    [InlineData(TrapCode.IntegerOverflow, false, StatusCode.Aborted)]
    [InlineData(TrapCode.InvalidConversionToInteger, false, StatusCode.Aborted)]
    [InlineData(TrapCode.HostError, false, StatusCode.Aborted)]
    [InlineData(TrapCode.UnalignedAtomic, false, StatusCode.Aborted)]
    [InlineData(TrapCode.CallStackExhausted, false, StatusCode.ResourceExhausted)]
    [InlineData(TrapCode.OutOfFuel, false, StatusCode.ResourceExhausted)]
    [InlineData(TrapCode.Interrupted, false, StatusCode.DeadlineExceeded)]
    [InlineData(TrapCode.Interrupted, true, StatusCode.Cancelled)]
    public void CodeFor_TrapCode_FollowsTheProtoTable(TrapCode code, bool cancelledByClient, StatusCode expected)
    {
        Assert.Equal(expected, TrapStatus.CodeFor(code, cancelledByClient));
    }

    [Fact]
    public void CodeFor_TableAbove_CoversEveryTrapCode()
    {
        // A code added to the proto must be given a row above (and a line in the proto's table).
        var covered = typeof(TrapStatusTests).GetMethod(nameof(CodeFor_TrapCode_FollowsTheProtoTable))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(row => (TrapCode)row.GetData(null!).Single()[0]);

        Assert.Equal(Enum.GetValues<TrapCode>().Where(c => c != TrapCode.Unspecified).Order(), covered.Distinct().Order());
    }

    [Fact]
    public void ToRpcException_Trap_CarriesItInTheStatusDetailsForTryGetTrap()
    {
        var trap = new Trap
        {
            Code = TrapCode.IntegerDivideByZero,
            Message = "integer divide by zero",
            Backtrace = { new Frame { FunctionIndex = 3, FunctionName = "div", Module = "calc", ModuleOffset = 0x4F } },
        };

        var exception = TrapStatus.ToRpcException(trap);

        Assert.Equal(StatusCode.Aborted, exception.StatusCode);
        Assert.Equal("trap: integer divide by zero", exception.Status.Detail);
        Assert.NotNull(exception.Trailers.GetValueBytes("grpc-status-details-bin"));
        Assert.Null(exception.Trailers.Get("sandbox-trap-bin"));
        Assert.True(exception.TryGetTrap(out var decoded));
        Assert.Equal(trap, decoded);
    }

    [Fact]
    public void TryGetTrap_NoDetails_ReturnsFalse()
    {
        Assert.False(new RpcException(new Status(StatusCode.NotFound, "no such instance")).TryGetTrap(out _));
    }

    [Fact]
    public void TryGetTrap_MalformedDetails_ReturnsFalse()
    {
        // 0x0A 0x05 announces a 5-byte field 1 that never comes.
        var trailers = new Metadata { { "grpc-status-details-bin", new byte[] { 0x0A, 0x05 } } };

        Assert.False(new RpcException(new Status(StatusCode.Aborted, "trap"), trailers).TryGetTrap(out _));
    }

    [Theory]
    [InlineData(TrapStatus.MaxBacktraceFrames, TrapStatus.MaxBacktraceFrames)]
    [InlineData(TrapStatus.MaxBacktraceFrames + 1, TrapStatus.MaxBacktraceFrames)]
    [InlineData(100_000, TrapStatus.MaxBacktraceFrames)]
    public void ToRpcException_DeepBacktrace_KeepsTheInnermostFramesOnly(int depth, int kept)
    {
        var trap = new Trap { Code = TrapCode.CallStackExhausted, Message = "call stack exhausted" };
        for (var i = 0; i < depth; i++) trap.Backtrace.Add(new Frame { FunctionIndex = (uint)i, FunctionName = "f", Module = "m" });

        Assert.True(TrapStatus.ToRpcException(trap).TryGetTrap(out var decoded));

        Assert.Equal(kept, decoded.Backtrace.Count);
        Assert.Equal(0u, decoded.Backtrace[0].FunctionIndex);
    }

    [Fact]
    public void ToRpcException_LongestNamesDeepestStack_TrailersStayUnder8KiB()
    {
        // The worst a guest can make: every frame with a long name and module, and a long message.
        var longName = new string('n', 10_000);
        var trap = new Trap { Code = TrapCode.Unreachable, Message = new string('m', 10_000) };
        for (var i = 0; i < 100_000; i++) trap.Backtrace.Add(new Frame { FunctionIndex = uint.MaxValue, FunctionName = longName, Module = longName, ModuleOffset = uint.MaxValue });

        var exception = TrapStatus.ToRpcException(trap);

        // As sent: the base64 of the binary details, and the percent-encoded message (at most 3 bytes per char).
        var details = exception.Trailers.GetValueBytes("grpc-status-details-bin")!;
        var size = "grpc-status-details-bin".Length + (details.Length + 2) / 3 * 4 + "grpc-message".Length + 3 * exception.Status.Detail.Length;
        Assert.True(size < 8 * 1024, $"{size} bytes of trailers");
    }

    [Theory]
    [InlineData(TrapStatus.MaxNameLength, TrapStatus.MaxNameLength)]
    [InlineData(TrapStatus.MaxNameLength + 1, TrapStatus.MaxNameLength)]
    public void Bounded_LongFunctionName_IsCutToTheLimit(int length, int expected)
    {
        var trap = new Trap { Backtrace = { new Frame { FunctionName = new string('f', length) } } };

        Assert.Equal(expected, TrapStatus.Bounded(trap).Backtrace[0].FunctionName.Length);
    }
}

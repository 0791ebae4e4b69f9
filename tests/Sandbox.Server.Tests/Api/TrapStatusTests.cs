using Sandbox.Client;
using Grpc.Core;
using Sandbox.Engine;
using Sandbox.Server.Internal;
using Sandbox.V1;
using TrapCode = Sandbox.V1.TrapCode;

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

    [Fact]
    public void ToRpcException_DeepestStackLongestNames_TrailersStayUnder8KiB()
    {
        // The worst a guest can make, bounded by the server's Traps.ToProto: 100,000 frames with
        // long names, and a long message (which travels twice: grpc-message and the details).
        var frames = Enumerable.Range(0, 100_000).Select(i => new WasmFrame("m", uint.MaxValue, new string('n', 10_000))).ToArray();
        var trap = Traps.ToProto(Engine.TrapCode.Unreachable, new string('m', 10_000), frames, new string('0', 64));

        var exception = TrapStatus.ToRpcException(trap);

        // As sent: the base64 of the binary details, and the percent-encoded message (at most 3 bytes per char).
        var details = exception.Trailers.GetValueBytes("grpc-status-details-bin")!;
        var size = "grpc-status-details-bin".Length + (details.Length + 2) / 3 * 4 + "grpc-message".Length + 3 * exception.Status.Detail.Length;
        Assert.True(size < 8 * 1024, $"{size} bytes of trailers");
    }
}

using Sandbox.Client;
using Sandbox.Grpc;
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
    public void ToRpcException_Trap_CarriesItInTheTrailerForTryGetTrap()
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
        Assert.True(exception.TryGetTrap(out var decoded));
        Assert.Equal(trap, decoded);
    }

    [Fact]
    public void TryGetTrap_NoTrailer_ReturnsFalse()
    {
        Assert.False(new RpcException(StatusCode.NotFound, "no such instance").TryGetTrap(out _));
    }

    [Fact]
    public void TryGetTrap_MalformedTrailer_ReturnsFalse()
    {
        // 0x0A 0x05 announces a 5-byte field 1 that never comes.
        var trailers = new Metadata { { SandboxGrpc.TrapTrailerKey, new byte[] { 0x0A, 0x05 } } };

        Assert.False(new RpcException(StatusCode.Aborted, "trap", trailers).TryGetTrap(out _));
    }
}

using Google.Protobuf;
using Sandbox.Engine;
using Sandbox.Server.Internal;

namespace Sandbox.Server.Tests.Api;

/// <summary>The bounds on a trap's details (issue 13 item 2): backtrace, names and message.</summary>
public sealed class TrapDetailsTests
{
    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(16, 16, 0)]      // InnermostFrames + OutermostFrames: whole
    [InlineData(17, 16, 1)]      // one more: cut
    [InlineData(99_000, 16, 98_984)]
    public void ToProto_Backtrace_KeepsInnermostAndOutermostFramesAndCountsTheRest(int depth, int kept, uint elided)
    {
        var proto = Traps.ToProto(Engine.TrapCode.Unreachable, "unreachable", Frames(depth, i => $"f{i}"), "module");

        Assert.Equal(kept, proto.Backtrace.Count);
        Assert.Equal(elided, proto.ElidedFrames);
        if (depth > 16)
        {
            Assert.Equal("f0", proto.Backtrace[0].FunctionName);
            Assert.Equal("f11", proto.Backtrace[Traps.InnermostFrames - 1].FunctionName);
            Assert.Equal($"f{depth - Traps.OutermostFrames}", proto.Backtrace[Traps.InnermostFrames].FunctionName);
            Assert.Equal($"f{depth - 1}", proto.Backtrace[^1].FunctionName);
        }
    }

    [Fact]
    public void ToProto_HugeNamesAndMessage_StaysUnderMaxTrapBytes()
    {
        var proto = Traps.ToProto(Engine.TrapCode.HostError, new string('x', 1_000_000), Frames(99_000, _ => new string('é', 100_000)), new string('m', 64));

        Assert.True(proto.CalculateSize() <= Traps.MaxTrapBytes, $"{proto.CalculateSize()} bytes");
        Assert.All(proto.Backtrace, frame => Assert.True(System.Text.Encoding.UTF8.GetByteCount(frame.FunctionName) <= Traps.MaxNameBytes));
    }

    [Theory]
    [InlineData("", 8, "")]
    [InlineData("abcdefgh", 8, "abcdefgh")]   // exactly the limit
    [InlineData("abcdefghi", 8, "abcde…")]    // one over: 5 bytes and the 3-byte ellipsis
    [InlineData("ééééé", 8, "éé…")]           // 2-byte characters are never split
    [InlineData("😀😀😀", 8, "😀…")]           // nor surrogate pairs (4 bytes)
    public void Truncate_Edges(string text, int maxBytes, string expected) =>
        Assert.Equal(expected, Traps.Truncate(text, maxBytes));

    private static WasmFrame[] Frames(int depth, Func<int, string> name) =>
        [.. Enumerable.Range(0, depth).Select(i => new WasmFrame("m", (uint)i, name(i)))];
}

using System.Buffers;

namespace Sandbox.Grpc.Tests.Protocol;

/// <summary>Builds a multi-segment sequence, as a pipe hands over data that arrived in several reads.</summary>
internal sealed class TestSequence : ReadOnlySequenceSegment<byte>
{
    private TestSequence(byte[] data) => Memory = data;

    public static ReadOnlySequence<byte> Create(params byte[][] segments)
    {
        var first = new TestSequence(segments[0]);
        var last = first;
        for (var i = 1; i < segments.Length; i++)
        {
            var next = new TestSequence(segments[i]) { RunningIndex = last.RunningIndex + last.Memory.Length };
            last.Next = next;
            last = next;
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}

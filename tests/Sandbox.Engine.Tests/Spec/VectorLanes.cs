namespace Sandbox.Engine.Tests.Spec;

/// <summary>
/// An expected v128 given lane by lane, where a float lane may be a NaN class
/// (<c>(v128.const f32x4 nan:canonical 1.0 …)</c>). Lane 0 is the lowest-addressed.
/// </summary>
public sealed record VectorLanes(string LaneType, ulong[] Bits, NanPattern[] Nans)
{
    /// <summary>Lane width in bits: 8 for i8, 16 for i16, 32 for i32/f32, 64 for i64/f64.</summary>
    public int LaneBits => LaneType switch
    {
        "i8" => 8,
        "i16" => 16,
        "i32" or "f32" => 32,
        "i64" or "f64" => 64,
        _ => throw new InvalidOperationException($"unknown lane type {LaneType}"),
    };

    public bool Matches(UInt128 actual)
    {
        var width = LaneBits;
        var mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        for (var i = 0; i < Bits.Length; i++)
        {
            var lane = (ulong)(actual >> (i * width)) & mask;
            var matches = Nans[i] switch
            {
                NanPattern.None => lane == Bits[i],
                _ when width == 32 => NanBits.Matches32((uint)lane, Nans[i]),
                _ => NanBits.Matches64(lane, Nans[i]),
            };
            if (!matches) return false;
        }
        return true;
    }

    /// <summary>The whole vector when no lane is a NaN class.</summary>
    public UInt128 ToVector()
    {
        var width = LaneBits;
        var mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        UInt128 v = 0;
        for (var i = 0; i < Bits.Length; i++) v |= (UInt128)(Bits[i] & mask) << (i * width);
        return v;
    }

    public override string ToString() =>
        $"(v128 {LaneType}x{Bits.Length} {string.Join(' ', Bits.Select((b, i) => Nans[i] == NanPattern.None ? b.ToString() : "nan:" + Nans[i].ToString().ToLowerInvariant()))})";
}

namespace Sandbox.Engine.Tests.Spec;

/// <summary>NaN class tests on raw bits (Spec 4.3.3): canonical = quiet bit only, arithmetic = quiet bit set.</summary>
internal static class NanBits
{
    private const uint F32SignMask = 0x8000_0000;
    private const uint F32CanonicalNan = 0x7FC0_0000; // exponent all ones + quiet bit
    private const ulong F64SignMask = 0x8000_0000_0000_0000;
    private const ulong F64CanonicalNan = 0x7FF8_0000_0000_0000;

    public static bool Matches32(uint bits, NanPattern pattern) => pattern switch
    {
        NanPattern.Canonical => (bits & ~F32SignMask) == F32CanonicalNan,
        NanPattern.Arithmetic => (bits & F32CanonicalNan) == F32CanonicalNan,
        _ => throw new ArgumentOutOfRangeException(nameof(pattern)),
    };

    public static bool Matches64(ulong bits, NanPattern pattern) => pattern switch
    {
        NanPattern.Canonical => (bits & ~F64SignMask) == F64CanonicalNan,
        NanPattern.Arithmetic => (bits & F64CanonicalNan) == F64CanonicalNan,
        _ => throw new ArgumentOutOfRangeException(nameof(pattern)),
    };
}

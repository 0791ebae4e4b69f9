namespace Sandbox.Engine.Tests.Spec;

/// <summary>The NaN classes an expected float may name instead of a value (Spec 4.3.3, "canonical" and "arithmetic" NaNs).</summary>
public enum NanPattern
{
    /// <summary>An exact bit pattern is expected.</summary>
    None,

    /// <summary><c>nan:canonical</c>: sign free, quiet bit set, rest of the payload zero.</summary>
    Canonical,

    /// <summary><c>nan:arithmetic</c>: sign free, quiet bit set, rest of the payload free.</summary>
    Arithmetic,
}

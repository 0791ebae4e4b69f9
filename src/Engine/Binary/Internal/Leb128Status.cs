namespace Sandbox.Engine.Binary.Internal;

/// <summary>The outcome of a LEB128 read (Spec 5.2.2).</summary>
internal enum Leb128Status
{
    Ok,

    /// <summary>The input ended inside the number.</summary>
    UnexpectedEnd,

    /// <summary>More than ceil(N/7) bytes: "integer representation too long".</summary>
    TooLong,

    /// <summary>The last byte sets bits beyond N (unsigned) or not equal to the sign (signed): "integer too large".</summary>
    TooLarge,
}

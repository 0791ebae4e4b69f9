namespace Sandbox.Engine.Validation.Internal;

/// <summary>Validation messages used in more than one place, worded as the spec tests' "text".</summary>
internal static class Messages
{
    public const string TypeMismatch = "type mismatch";

    public const string AtomicsNotSupported =
        "threads (0xfe) atomic instructions are not supported yet";
}

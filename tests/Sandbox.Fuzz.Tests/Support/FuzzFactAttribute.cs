namespace Sandbox.Fuzz.Tests.Support;

/// <summary>A fact needing <see cref="FuzzTools"/>: skipped with the install hint when a tool is
/// missing, except under CI. (xunit 2 has no dynamic skip.)</summary>
public sealed class FuzzFactAttribute : FactAttribute
{
    public FuzzFactAttribute()
    {
        if (!FuzzTools.IsAvailable && !FuzzTools.Required) Skip = FuzzTools.InstallHint;
    }
}

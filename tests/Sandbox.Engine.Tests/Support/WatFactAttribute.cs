namespace Sandbox.Engine.Tests.Support;

/// <summary>
/// A fact needing <c>wat2wasm</c>: skipped with an install hint when the tool is missing, except
/// under CI (<c>CI=true</c>) where it runs and fails. (xunit 2 has no dynamic skip.)
/// </summary>
public sealed class WatFactAttribute : FactAttribute
{
    public WatFactAttribute()
    {
        if (!Wat.IsAvailable && !Wat.Required) Skip = Wat.InstallHint;
    }
}

/// <summary>The <see cref="WatFactAttribute"/> rule for theories.</summary>
public sealed class WatTheoryAttribute : TheoryAttribute
{
    public WatTheoryAttribute()
    {
        if (!Wat.IsAvailable && !Wat.Required) Skip = Wat.InstallHint;
    }
}

namespace Sandbox.Engine.Tests.Spec;

/// <summary>
/// A theory over spec scripts that is skipped, with the fetch hint, when the testsuite is missing,
/// except under CI (<c>CI=true</c>) where it runs and fails. xunit 2 has no dynamic skip, so the
/// decision is made here when the attribute is constructed.
/// </summary>
public sealed class SpecTheoryAttribute : TheoryAttribute
{
    public SpecTheoryAttribute()
    {
        if (SpecDirectory.Path is null && !SpecDirectory.Required) Skip = SpecDirectory.MissingHint;
    }
}

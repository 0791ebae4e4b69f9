namespace Sandbox.Engine.Tests.Spec;

/// <summary>A fact over the spec testsuite: skipped with the fetch hint when it is missing, except under CI (see <see cref="SpecTheoryAttribute"/>).</summary>
public sealed class SpecFactAttribute : FactAttribute
{
    public SpecFactAttribute()
    {
        if (SpecDirectory.Path is null && !SpecDirectory.Required) Skip = SpecDirectory.MissingHint;
    }
}

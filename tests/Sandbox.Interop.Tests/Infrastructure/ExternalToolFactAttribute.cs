namespace Sandbox.Interop.Tests.Infrastructure;

/// <summary>
/// A fact that needs a program from outside the repository. xunit 2 decides skips when it reads
/// the attribute, so the check runs in the constructor: a missing tool skips the test with the
/// reason and an install hint, except under CI, where the test runs and fails with that reason.
/// </summary>
public abstract class ExternalToolFactAttribute : FactAttribute
{
    protected ExternalToolFactAttribute(string? missingReason)
    {
        if (missingReason is not null && !TestEnvironment.IsCi)
        {
            Skip = missingReason;
        }
    }
}

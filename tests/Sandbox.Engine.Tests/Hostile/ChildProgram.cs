namespace Sandbox.Engine.Tests.Hostile;

/// <summary>
/// The test assembly's entry point (GenerateProgramFile is off): <c>dotnet Sandbox.Engine.Tests.dll
/// stack NAME</c> runs one of <see cref="StackScenarios"/> and prints its outcome, so that a test
/// can watch a scenario that might kill its process from outside it (<see cref="ChildRunner"/>).
/// The test host does not use this entry point.
/// </summary>
public static class ChildProgram
{
    public static int Main(string[] args)
    {
        if (args is not ["stack", var name] || !StackScenarios.All.TryGetValue(name, out var scenario))
        {
            Console.Error.WriteLine($"usage: stack NAME, NAME one of {string.Join(", ", StackScenarios.All.Keys)}");
            return 2;
        }
        Console.WriteLine(scenario());
        return 0;
    }
}

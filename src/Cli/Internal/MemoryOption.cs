using System.CommandLine;

namespace Sandbox.Cli.Internal;

/// <summary><c>--memory NAME</c>: which memory a memory command addresses.</summary>
internal static class MemoryOption
{
    public static Option<string> Create() => new("--memory")
    {
        Description = "The memory's export name. Default: the instance's memory 0.",
        DefaultValueFactory = _ => "",
    };
}

using System.CommandLine;
using Sandbox.Cli.Commands;
using Sandbox.Cli.Internal;

namespace Sandbox.Cli;

/// <summary>
/// The <c>sandbox</c> command line: a command per RPC of <c>sandbox.v1.Sandbox</c>, plus
/// <c>health</c>. Human-readable output by default, JSON with <c>--json</c>; a failed call prints
/// its gRPC status to stderr and exits with 1.
/// </summary>
public static class SandboxCli
{
    /// <summary>Builds the root command with every subcommand and the global options.</summary>
    public static RootCommand CreateRootCommand()
    {
        var global = new GlobalOptions();
        var root = new RootCommand("Talks to a Sandbox server: compiles, instantiates and calls WebAssembly modules over gRPC.");
        global.AddTo(root);

        root.Add(HealthCommand.Create(global));
        root.Add(CompileCommand.Create(global));
        root.Add(InstantiateCommand.Create(global));
        root.Add(InvokeCommand.Create(global));
        root.Add(ExecuteCommand.Create(global));
        root.Add(MallocCommand.Create(global));
        root.Add(FreeCommand.Create(global));
        root.Add(ReadMemoryCommand.Create(global));
        root.Add(WriteMemoryCommand.Create(global));
        root.Add(GrowMemoryCommand.Create(global));
        root.Add(MemoryInfoCommand.Create(global));
        root.Add(DropCommand.Create(global));
        root.Add(DropModuleCommand.Create(global));
        root.Add(ListCommand.Create(global));
        root.Add(UsageCommand.Create(global));
        root.Add(WatchMetricsCommand.Create(global));

        // `sandbox run` runs a module in process with the engine, linking preloaded modules as
        // `wasmtime run --preload` does (issue 4). It needs no server, so the global connection
        // options do not apply to it.
        root.Add(RunCommand.Create());
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the command; returns the process exit code.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="output">Where results go; standard output by default.</param>
    /// <param name="error">Where errors go; standard error by default.</param>
    /// <param name="cancellationToken">Cancels the running command (Ctrl+C does too).</param>
    public static Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        var configuration = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
        };
        return CreateRootCommand().Parse(RunCommand.SeparateGuestArguments(args)).InvokeAsync(configuration, cancellationToken);
    }
}

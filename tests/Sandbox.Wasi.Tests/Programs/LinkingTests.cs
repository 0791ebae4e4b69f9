using Sandbox.Cli;
using Sandbox.Wasi.Tests.Support;

namespace Sandbox.Wasi.Tests.Programs;

/// <summary><c>sandbox run --invoke</c> on a reactor, and <c>--preload</c> of a reactor that uses WASI from its own memory.</summary>
public sealed class LinkingTests
{
    [ClangFact]
    public async Task Run_InvokeOnReactor_CallsInitializeFirst()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await SandboxCli.RunAsync(["run", Clang.Build("counter", reactor: true), "--invoke", "bump", "5"], output, error);
        Assert.True(exitCode == 0, error.ToString());
        // The guest's line (captured, as the writer is not the console), then the result.
        Assert.Equal("5\ncount is 5\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [ClangFact]
    public async Task Run_ReactorWithoutInvoke_SaysToNameAFunction()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await SandboxCli.RunAsync(["run", Clang.Build("counter", reactor: true)], output, error);
        Assert.Equal(1, exitCode);
        Assert.Contains("reactor", error.ToString());
    }

    [ClangFact]
    public void Run_PreloadedReactor_GetsWasiWithItsOwnMemory()
    {
        var outcome = SandboxProcess.Run([], Path.GetTempPath(),
            "run", "--preload", "counter=" + Clang.Build("counter", reactor: true), Clang.Build("greeter"), "you", "two");
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.Equal("hello from you\ncount is 3\n", outcome.Text);
    }

    [Theory]
    [InlineData(new[] { "run", "p.wasm", "-v", "x" }, new[] { "run", "p.wasm", "--", "-v", "x" })]
    [InlineData(new[] { "run", "--dir", "d", "--env", "A=1", "p.wasm", "--help" }, new[] { "run", "--dir", "d", "--env", "A=1", "p.wasm", "--", "--help" })]
    [InlineData(new[] { "run", "p.wasm" }, new[] { "run", "p.wasm" })]
    [InlineData(new[] { "run", "p.wasm", "--", "-v" }, new[] { "run", "p.wasm", "--", "--", "-v" })] // verbatim, as wasmtime: the guest gets "--" too
    [InlineData(new[] { "run", "--", "p.wasm", "-v" }, new[] { "run", "--", "p.wasm", "-v" })]
    [InlineData(new[] { "run", "p.wasm", "--invoke", "f", "1" }, new[] { "run", "p.wasm", "--invoke", "f", "1" })] // the earlier form
    [InlineData(new[] { "list", "x", "-v" }, new[] { "list", "x", "-v" })]
    public void SeparateGuestArguments_CommandLine_PutsTheSeparatorAfterTheModule(string[] args, string[] expected) =>
        Assert.Equal(expected, Sandbox.Cli.Commands.RunCommand.SeparateGuestArguments(args));
}

using System.CommandLine;
using Sandbox.Cli.Internal;
using Sandbox.V1;

namespace Sandbox.Cli.Commands;

/// <summary><c>sandbox execute MODULE FUNCTION [ARGS...]</c>: Execute on a fresh pooled instance.</summary>
internal static class ExecuteCommand
{
    public static Command Create(GlobalOptions global)
    {
        var module = new Argument<string>("module") { Description = "A module id from `compile`, or a .wasm file." };
        var function = new Argument<string>("function") { Description = "The exported function's name." };
        var args = ValueArguments.Create();
        var command = new Command("execute", "Runs an exported function statelessly, on a fresh instance from the pool.") { module, function, args };
        var limits = new CallLimitOptions(command);
        var lanes = ValueArguments.CreateLanesOption();
        command.Options.Add(lanes);
        global.SetAction(command, async (context, parseResult) =>
        {
            var source = await ModuleSource.ResolveAsync(parseResult.GetRequiredValue(module), context.CancellationToken).ConfigureAwait(false);
            var request = new ExecuteRequest
            {
                Function = parseResult.GetRequiredValue(function),
                Args = { parseResult.GetValue(args) ?? [] },
                Limits = limits.Get(parseResult),
            };
            if (source.Wasm is { } wasm) request.Wasm = wasm; else request.ModuleId = source.ModuleId;
            var response = await context.Client.ExecuteAsync(request, null, context.Deadline, context.CancellationToken).ConfigureAwait(false);
            await context.PrintAsync(response, (output, r) => ValueArguments.WriteValues(output, r.Results, parseResult.GetValue(lanes))).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}

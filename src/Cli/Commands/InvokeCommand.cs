using System.CommandLine;
using Sandbox.Cli.Internal;
using Sandbox.V1;

namespace Sandbox.Cli.Commands;

/// <summary>
/// <c>sandbox invoke INSTANCE FUNCTION [ARGS...]</c>: Invoke; prints the results as TYPE:VALUE,
/// and for an instance made with WASI the call's stdout and stderr first, exiting with its exit code.
/// </summary>
internal static class InvokeCommand
{
    public static Command Create(GlobalOptions global)
    {
        var instance = new Argument<string>("instance") { Description = "The instance id." };
        var function = new Argument<string>("function") { Description = "The exported function's name." };
        var args = ValueArguments.Create();
        var command = new Command("invoke", "Calls an exported function of an instance.") { instance, function, args };
        var limits = new CallLimitOptions(command);
        var lanes = ValueArguments.CreateLanesOption();
        command.Options.Add(lanes);
        global.SetAction(command, async (context, parseResult) =>
        {
            var request = new InvokeRequest
            {
                InstanceId = parseResult.GetRequiredValue(instance),
                Function = parseResult.GetRequiredValue(function),
                Args = { parseResult.GetValue(args) ?? [] },
                Limits = limits.Get(parseResult),
            };
            var response = await context.Client.InvokeAsync(request, null, context.Deadline, context.CancellationToken).ConfigureAwait(false);
            if (response.Wasi is { } output && !context.Json)
            {
                // A WASI instance's call: what it wrote during the call becomes this tool's stdout
                // and stderr, before the results (--json has it all in the response).
                await using var guest = new GuestOutput(context.Output, parseResult.InvocationConfiguration.Error);
                await guest.WriteResultAsync(output, context.CancellationToken).ConfigureAwait(false);
            }
            await context.PrintAsync(response, (writer, r) => ValueArguments.WriteValues(writer, r.Results, parseResult.GetValue(lanes))).ConfigureAwait(false);
            if (response.Wasi is not { } result) return 0;
            return result.ExitCode;
        });
        return command;
    }
}

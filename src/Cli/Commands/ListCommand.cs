using System.CommandLine;
using Sandbox.Cli.Internal;
using Sandbox.V1;

namespace Sandbox.Cli.Commands;

/// <summary><c>sandbox list [--module ID]</c>: ListInstances, following page tokens to the end.</summary>
internal static class ListCommand
{
    public static Command Create(GlobalOptions global)
    {
        var module = new Option<string?>("--module") { Description = "Only instances of this module id." };
        var command = new Command("list", "Lists the tenant's live instances.") { module };
        global.SetAction(command, async (context, parseResult) =>
        {
            // One response with every page's instances, so that --json prints one document.
            var all = new ListInstancesResponse();
            var request = new ListInstancesRequest { ModuleId = parseResult.GetValue(module) ?? "" };
            do
            {
                var page = await context.Client.ListInstancesAsync(request, null, context.Deadline, context.CancellationToken).ConfigureAwait(false);
                all.Instances.Add(page.Instances);
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);

            await context.PrintAsync(all, (output, r) =>
            {
                if (r.Instances.Count == 0)
                {
                    output.WriteLine("no instances");
                }
                foreach (var instance in r.Instances)
                {
                    var name = instance.RegisteredName.Length > 0 ? $" as {instance.RegisteredName}" : "";
                    output.WriteLine($"{instance.InstanceId}  module {instance.ModuleId}{name}  {instance.ChargedBytes} bytes  {instance.Calls} calls  created {instance.CreatedAt?.ToDateTime():u}");
                }
            }).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Sandbox.V1;

namespace Sandbox.Cli.Internal;

/// <summary><c>--fuel</c> and <c>--call-timeout</c>, the per-call limits of sandbox.proto's CallLimits.</summary>
internal sealed class CallLimitOptions
{
    private readonly Option<ulong?> fuel = new("--fuel")
    {
        Description = "Fuel for the guest call (about one unit per instruction). Default: the tenant's.",
        CustomParser = result => NumberText.ParseUInt64(result),
    };

    private readonly Option<TimeSpan?> callTimeout = new("--call-timeout")
    {
        Description = "How long the guest may run, within the tenant's maximum (e.g. 100ms). Default: the tenant's.",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (DurationText.TryParse(text, out var value)) return value;
            result.AddError($"'{text}' is not a duration: write e.g. 500ms or 10s.");
            return null;
        },
    };

    public CallLimitOptions(Command command)
    {
        command.Add(fuel);
        command.Add(callTimeout);
    }

    /// <summary>The limits given, or null when neither option was.</summary>
    public CallLimits? Get(ParseResult parseResult)
    {
        var fuelValue = parseResult.GetValue(fuel);
        var timeoutValue = parseResult.GetValue(callTimeout);
        if (fuelValue is null && timeoutValue is null)
        {
            return null;
        }
        var limits = new CallLimits();
        if (fuelValue is { } f) limits.Fuel = f;
        if (timeoutValue is { } t) limits.Timeout = Duration.FromTimeSpan(t);
        return limits;
    }
}

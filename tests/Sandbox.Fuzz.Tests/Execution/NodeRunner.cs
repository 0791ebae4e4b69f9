using System.Text.Json;
using Sandbox.Fuzz.Tests.Support;

namespace Sandbox.Fuzz.Tests.Execution;

/// <summary>
/// Runs a module in Node's V8 through <c>node/run.mjs</c>, one process per module so a hang is
/// bounded by killing it (<see cref="FuzzSettings.CallTimeout"/> for the whole run).
/// </summary>
public static class NodeRunner
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "node", "run.mjs");

    /// <summary>The function exports in order with their signatures, and the memory exports, which
    /// the script cannot read from a module itself.</summary>
    public sealed record Plan(List<PlanExport> Exports, List<string> Memories);

    public sealed record PlanExport(string Name, string[] Params, string[] Results);

    public static Trace Run(byte[] wasm, Plan plan)
    {
        var dir = Directory.CreateTempSubdirectory("sandbox-fuzz-node-");
        try
        {
            var wasmPath = Path.Combine(dir.FullName, "module.wasm");
            var planPath = Path.Combine(dir.FullName, "plan.json");
            File.WriteAllBytes(wasmPath, wasm);
            File.WriteAllText(planPath, JsonSerializer.Serialize(plan, JsonOptions));
            var result = ProcessRunner.Run(FuzzTools.Require(FuzzTools.Node), [Script, wasmPath, planPath, dir.FullName], FuzzSettings.CallTimeout);
            var trace = new Trace();
            if (result.TimedOut)
            {
                trace.TimedOut = true;
                trace.Add("timeout");
                return trace;
            }
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"node run.mjs failed ({result.ExitCode}): {result.StandardError}");
            }
            foreach (var line in JsonSerializer.Deserialize<string[]>(result.StandardOutput)!) trace.Add(line);
            for (var i = 0; i < plan.Memories.Count; i++)
            {
                var bytes = Path.Combine(dir.FullName, $"memory-{i}.bin");
                if (File.Exists(bytes)) trace.Memories[plan.Memories[i]] = File.ReadAllBytes(bytes);
            }
            return trace;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}

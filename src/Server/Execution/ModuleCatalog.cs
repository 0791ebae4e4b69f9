using System.Diagnostics;
using System.Security.Cryptography;
using Google.Protobuf;
using Sandbox.Engine;
using Sandbox.Engine.Validation;
using Grpc.Core;
using Sandbox.Server.Telemetry;
using Sandbox.Server.Tenancy;

namespace Sandbox.Server.Execution;

/// <summary>Compiles modules and caches them per tenant under their SHA-256 (CompileModule, and inline bytes elsewhere).</summary>
internal sealed class ModuleCatalog(SandboxMetrics metrics)
{
    private const int ModuleIdLength = 64; // SHA-256 as hex
    // The threads proposal is on (issue 4: modules sharing a memory use atomics on it).
    private static readonly EngineOptions Options = EngineOptions.Default with { Features = WasmFeatures.Threads };
    private static readonly EngineOptions MeteredOptions = Options with { ConsumeFuel = true };

    /// <summary>The tenant's module for <paramref name="wasm"/>, compiled now unless cached; <paramref name="cached"/> says which.</summary>
    public CompiledModule GetOrCompile(Tenant tenant, ByteString wasm, out bool cached)
    {
        tenant.Quota.CheckModuleSize(wasm.Length);
        if (wasm.IsEmpty) throw new RpcException(new Status(StatusCode.InvalidArgument, "wasm is required"));
        var id = Convert.ToHexStringLower(SHA256.HashData(wasm.Span));
        if (tenant.Modules.TryGetValue(id, out var existing))
        {
            cached = true;
            return existing;
        }
        lock (tenant.SyncRoot) tenant.Quota.CheckModuleCount();

        var started = Stopwatch.GetTimestamp();
        Engine.Module module;
        try
        {
            // A copy: the engine keeps the bytes (data segments) beyond this request's buffer.
            // Fuel metering costs a counter update per function entry and loop iteration, so only
            // tenants with a fuel limit get metered code.
            module = Engine.Module.FromBytes(wasm.ToByteArray(), tenant.Limits.FuelPerCall is null ? Options : MeteredOptions);
        }
        catch (Exception e) when (e is DecodeException or ValidationException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.Compiled(tenant.Id, elapsed);

        lock (tenant.SyncRoot)
        {
            if (tenant.Modules.TryGetValue(id, out existing))
            {
                // Compiled twice at once: the first one stored wins, and this call still reports a cache hit.
                cached = true;
                return existing;
            }
            tenant.Quota.CheckModuleCount();
            var compiled = new CompiledModule(id, module, (ulong)wasm.Length, elapsed);
            tenant.Modules[id] = compiled;
            cached = false;
            return compiled;
        }
    }

    /// <summary>The tenant's module <paramref name="id"/>, or NOT_FOUND (also for another tenant's module).</summary>
    public static CompiledModule Find(Tenant tenant, string id)
    {
        if (id.Length != ModuleIdLength || !id.All(char.IsAsciiHexDigitLower))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "module_id must be 64 lower-case hex digits (the SHA-256 of the module)"));
        }
        return tenant.Modules.TryGetValue(id, out var module)
            ? module
            : throw new RpcException(new Status(StatusCode.NotFound, $"module {id} not found"));
    }
}

using Sandbox.Server;

// The server with its embedded defaults (appsettings.json): gRPC over h2c on localhost:50051.
// Override with --listen http://0.0.0.0:50051, Sandbox__Listen=..., or any --Section:Key=value.
WebApplication app;
try
{
    var builder = SandboxServerHost.CreateBuilder(args);
    builder.AddSandbox();
    app = builder.Build();
    app.MapSandbox();
}
catch (InvalidOperationException e)
{
    // A configuration mistake (a bad Sandbox:Listen, ...): the message says what to fix, and
    // logging is not set up yet to say it.
    await Console.Error.WriteLineAsync($"Sandbox.Server: {e.Message}");
    return 1;
}
await app.RunAsync();
return 0;

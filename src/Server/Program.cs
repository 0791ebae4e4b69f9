using Sandbox.Server;

// The server with its embedded defaults (appsettings.json): gRPC over h2c on localhost:50051.
// Override with --listen http://0.0.0.0:50051, Sandbox__Listen=..., or any --Section:Key=value.
await using var app = SandboxServerHost.Build(args);
await app.RunAsync();

using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// grpc.health.v1.Health/Check answered from Grpc.HealthCheck's in-memory status map: a unary call
// whose handler does no work, on the same Kestrel settings as the sandbox server (h2c, HTTP/2 only).
//   dotnet Sandbox.Bench.Baseline.dll PORT
var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 50072;
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port, listen => listen.Protocols = HttpProtocols.Http2));
builder.Services.AddGrpc();
var health = new HealthServiceImpl();
health.SetStatus("", HealthCheckResponse.Types.ServingStatus.Serving);
builder.Services.AddSingleton(health);
var app = builder.Build();
app.MapGrpcService<HealthServiceImpl>();
app.Run();

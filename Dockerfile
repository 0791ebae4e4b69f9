# The sandbox service: gRPC (h2c) on port 50051, with the `sandbox` CLI beside it for the health
# check and for `docker exec`. Build from the repository root:
#
#   docker build -t sandbox .
#
# The base images are arguments so that a mirror, a pinned digest or (as deploy/smoke.sh does on a
# machine without a registry) a local stand-in can replace them without editing this file.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

# ---------------------------------------------------------------------------------------------
FROM ${SDK_IMAGE} AS build
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Restore from the project files alone first, so that a change to the sources reuses the
# restored layer instead of downloading every package again.
COPY global.json Directory.Build.props ./
COPY src/Protos/Sandbox.Protos.csproj src/Protos/
COPY src/Engine/Sandbox.Engine.csproj src/Engine/
COPY src/Client/Sandbox.Client.csproj src/Client/
COPY src/Server/Sandbox.Server.csproj src/Server/
COPY src/Cli/Sandbox.Cli.csproj       src/Cli/
RUN dotnet restore src/Server/Sandbox.Server.csproj \
 && dotnet restore src/Cli/Sandbox.Cli.csproj

COPY protos/ protos/
COPY src/ src/
# Framework-dependent: the runtime image already carries ASP.NET Core, which the server
# (Grpc.AspNetCore on Kestrel) needs. The CLI gets its own folder because the
# two programs' deps.json files would otherwise overwrite each other.
RUN dotnet publish src/Server/Sandbox.Server.csproj -c Release --no-restore -o /out/server \
 && dotnet publish src/Cli/Sandbox.Cli.csproj -c Release --no-restore -o /out/server/cli

# ---------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
COPY --from=build /out/server ./

# Configuration comes from the environment (ASP.NET Core maps Section__Key to Section:Key); see
# docs/deploy.md for every key. Tenants and their API keys are never baked in: pass them with
# --env-file, a compose env_file or a Kubernetes Secret.
ENV \
    # Inside a container the server must listen beyond loopback; the image's port is published
    # (or not) by whoever runs it.
    Sandbox__Listen=http://0.0.0.0:50051 \
    # The CLI (health check, docker exec) talks to the server in the same network namespace.
    SANDBOX_ADDRESS=http://127.0.0.1:50051 \
    # The base image asks Kestrel for port 8080; the server binds its own endpoints, so clear it
    # rather than have Kestrel log that it overrides it.
    ASPNETCORE_HTTP_PORTS= \
    # Everything the process writes (the runtime's diagnostic socket) goes to /tmp, so the root
    # filesystem can be mounted read-only with a tmpfs on /tmp.
    TMPDIR=/tmp \
    OTEL_SERVICE_NAME=sandbox

# The standard images define APP_UID (1654, user `app`); 1654 is the fallback for other bases.
USER ${APP_UID:-1654}
EXPOSE 50051

# The gRPC health service, asked about sandbox.v1.Sandbox rather than the whole server: the
# server sets it SERVING once it listens and NOT_SERVING as soon as it starts draining.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/app/cli/sandbox", "health", "--service", "sandbox.v1.Sandbox", "--timeout", "3s"]

ENTRYPOINT ["/app/Sandbox.Server"]

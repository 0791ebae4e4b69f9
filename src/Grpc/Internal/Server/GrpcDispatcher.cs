using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sandbox.Grpc.Server;

namespace Sandbox.Grpc.Internal.Server;

/// <summary>
/// The request delegate behind every gRPC path: checks protocol and content-type, finds the
/// method, runs it under its deadline, and ends the call with exactly one status.
/// </summary>
internal sealed class GrpcDispatcher(
    ServerMethodRegistry registry,
    IOptions<GrpcServerOptions> options,
    ILoggerFactory loggerFactory,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime)
{
    private static readonly Status UnimplementedMethod = new(StatusCode.Unimplemented, "Method is unimplemented.");
    private static readonly Status UnimplementedService = new(StatusCode.Unimplemented, "Service is unimplemented.");

    private readonly GrpcServerOptions options = options.Value;
    private readonly ILogger logger = loggerFactory.CreateLogger("Sandbox.Grpc.Server");

    public async Task DispatchAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            await RefuseProtocolAsync(httpContext).ConfigureAwait(false);
            return;
        }
        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            await RefuseContentTypeAsync(httpContext).ConfigureAwait(false);
            return;
        }
        var path = request.Path.Value ?? "";
        if (!registry.Methods.TryGetValue(path, out var handler))
        {
            GrpcServerLog.UnimplementedMethod(logger, path);
            StatusWriter.SetStatus(httpContext.Response, IsKnownService(path) ? UnimplementedMethod : UnimplementedService, trailers: null, trailersOnly: true);
            return;
        }

        using var call = new HttpServerCallContext(httpContext, handler.Method, options, logger, lifetime.ApplicationStopping);
        if (call.Start(timeProvider) is { } refusal)
        {
            call.End(refusal);
            return;
        }

        Status status;
        try
        {
            var handling = handler.HandleCallAsync(call);
            if (call.DeadlineTask is { } deadline && !handling.IsCompleted
                && await Task.WhenAny(handling, deadline).ConfigureAwait(false) != handling)
            {
                await EndAtDeadlineAsync(call, handling).ConfigureAwait(false);
                return;
            }
            await handling.ConfigureAwait(false);
            status = call.Status;
        }
        catch (Exception e)
        {
            status = call.StatusFromException(e);
        }
        if (status.StatusCode != StatusCode.OK)
        {
            GrpcServerLog.CallEndedWithError(logger, call.Method, status.StatusCode, status.Detail);
        }
        call.End(status);
    }

    /// <summary>
    /// The deadline passed with the handler still running (it may ignore its token): the client
    /// gets DEADLINE_EXCEEDED now. The handler is still awaited, because the HttpContext it may
    /// touch is recycled once this delegate returns.
    /// </summary>
    private async Task EndAtDeadlineAsync(HttpServerCallContext call, Task handling)
    {
        GrpcServerLog.DeadlineExceeded(logger, call.Method, call.Timeout ?? TimeSpan.Zero);
        await call.EndAtDeadlineAsync().ConfigureAwait(false);
        try
        {
            await handling.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Expected: most handlers end with an OperationCanceledException from their token.
            GrpcServerLog.HandlerFailedAfterEnd(logger, call.Method, e);
        }
    }

    private bool IsKnownService(string path)
    {
        // path is "/package.Service/Method"; the service is between the two slashes.
        var end = path.IndexOf('/', 1);
        return end > 1 && registry.ServiceNames.GetAlternateLookup<ReadOnlySpan<char>>().Contains(path.AsSpan(1, end - 1));
    }

    private Task RefuseProtocolAsync(HttpContext httpContext)
    {
        // gRPC needs HTTP/2 (trailers, full duplex). 426 Upgrade Required, as grpc-dotnet answers.
        GrpcServerLog.UnsupportedProtocol(logger, httpContext.Request.Protocol);
        httpContext.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
        httpContext.Response.Headers.Connection = "close";
        httpContext.Response.ContentType = "text/plain; charset=utf-8";
        return httpContext.Response.WriteAsync(
            $"gRPC requires HTTP/2, but this request is {httpContext.Request.Protocol}. Use a gRPC client, or HTTP/2 with prior knowledge (h2c).\n");
    }

    private Task RefuseContentTypeAsync(HttpContext httpContext)
    {
        // PROTOCOL-HTTP2.md: "If Content-Type does not begin with "application/grpc", gRPC servers
        // SHOULD respond with HTTP status of 415 (Unsupported Media Type)."
        GrpcServerLog.UnsupportedContentType(logger, httpContext.Request.ContentType);
        httpContext.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        httpContext.Response.ContentType = "text/plain; charset=utf-8";
        return httpContext.Response.WriteAsync(
            $"Content-Type '{httpContext.Request.ContentType}' is not supported; gRPC requires application/grpc.\n");
    }
}

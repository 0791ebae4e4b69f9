using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Sandbox.Interop.Tests.Host;

/// <summary>
/// Records how each handler of the host ended, as an interceptor around every call. A foreign
/// client only sees its own side of a cancelled call; this shows the server side too: whether the
/// handler ended, how, and whether its <see cref="ServerCallContext.CancellationToken"/> had fired.
/// </summary>
public sealed class HandlerOutcomes : Interceptor
{
    private readonly List<HandlerOutcome> outcomes = [];
    private TaskCompletionSource changed = NewSignal();

    /// <summary>How many outcomes have been recorded; a position for <see cref="WaitForAsync"/>.</summary>
    public int Position
    {
        get
        {
            lock (outcomes)
            {
                return outcomes.Count;
            }
        }
    }

    /// <summary>
    /// The first outcome of <paramref name="method"/> recorded after <paramref name="position"/>,
    /// or null if none comes within <paramref name="timeout"/>.
    /// </summary>
    public async Task<HandlerOutcome?> WaitForAsync(int position, string method, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task signal;
            lock (outcomes)
            {
                for (var i = position; i < outcomes.Count; i++)
                {
                    if (outcomes[i].Method == method)
                    {
                        return outcomes[i];
                    }
                }
                signal = changed.Task;
            }
            try
            {
                await signal.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, () => continuation(request, context));

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, () => continuation(requestStream, context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, async () =>
        {
            await continuation(request, responseStream, context);
            return true;
        });

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, async () =>
        {
            await continuation(requestStream, responseStream, context);
            return true;
        });

    private async Task<T> ObserveAsync<T>(ServerCallContext context, Func<Task<T>> handler)
    {
        var kind = HandlerOutcomeKind.Faulted;
        StatusCode? status = null;
        string? error = null;
        try
        {
            var result = await handler();
            kind = HandlerOutcomeKind.Completed;
            return result;
        }
        catch (OperationCanceledException)
        {
            kind = HandlerOutcomeKind.Cancelled;
            throw;
        }
        catch (IOException) when (context.GetHttpContext().RequestAborted.IsCancellationRequested)
        {
            // A read that the client's RST_STREAM ended: Kestrel throws IOException, which
            // Grpc.AspNetCore would log as a handler error. It is the client's cancel.
            kind = HandlerOutcomeKind.Cancelled;
            throw new RpcException(new Status(StatusCode.Cancelled, "the client reset the stream"));
        }
        catch (RpcException e)
        {
            kind = HandlerOutcomeKind.Status;
            status = e.StatusCode;
            throw;
        }
        catch (Exception e)
        {
            error = $"{e.GetType().Name}: {e.Message}";
            throw;
        }
        finally
        {
            Record(new HandlerOutcome(context.Method, kind, status, error, context.CancellationToken.IsCancellationRequested));
        }
    }

    private void Record(HandlerOutcome outcome)
    {
        TaskCompletionSource signal;
        lock (outcomes)
        {
            outcomes.Add(outcome);
            signal = changed;
            changed = NewSignal();
        }
        signal.SetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

namespace Sandbox.Grpc;

/// <summary>Writes client-streaming requests, then completes the request stream.</summary>
public interface IClientStreamWriter<in T> : IAsyncStreamWriter<T>
{
    Task CompleteAsync();
}

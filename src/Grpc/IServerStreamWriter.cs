namespace Sandbox.Grpc;

/// <summary>Writes server-streaming responses.</summary>
public interface IServerStreamWriter<in T> : IAsyncStreamWriter<T>
{
}

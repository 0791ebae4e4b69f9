namespace Sandbox.Grpc;

/// <summary>The four kinds of call: whether requests, responses, both or neither are streamed.</summary>
public enum MethodType
{
    Unary,
    ClientStreaming,
    ServerStreaming,
    DuplexStreaming,
}

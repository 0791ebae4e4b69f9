using Sandbox.Grpc;

namespace Grpc.Testing;

/// <summary>
/// <c>grpc.testing.UnimplementedService</c>: a service "NOT implemented at servers so clients can
/// test for that case" (test.proto). Only its descriptor is needed, by the client side.
/// </summary>
public static class UnimplementedService
{
    public const string ServiceName = "grpc.testing.UnimplementedService";

    public static readonly Method<Empty, Empty> UnimplementedCallMethod =
        new(MethodType.Unary, ServiceName, "UnimplementedCall", Empty.Parser, Empty.Parser);
}

using Sandbox.Engine;
using Grpc.Core;
using Sandbox.Server.Execution;
using EngineValue = Sandbox.Engine.Value;
using EngineValueType = Sandbox.Engine.ValueType;
using ProtoValue = Sandbox.V1.Value;

namespace Sandbox.Server.Internal;

/// <summary>
/// API values to engine values and back, checked against the function's type. Floats travel as
/// bit patterns both ways, so NaN payloads and -0 survive.
/// </summary>
internal static class ValueMapping
{
    /// <summary>Converts <paramref name="args"/> into <paramref name="destination"/>, or throws INVALID_ARGUMENT saying which argument is wrong.</summary>
    public static void ToEngine(IReadOnlyList<ProtoValue> args, Engine.FuncType type, HostedInstance? instance, Span<EngineValue> destination)
    {
        var parameters = type.Parameters;
        if (args.Count != parameters.Length)
        {
            throw Invalid($"the function takes {parameters.Length} arguments {type}, not {args.Count}");
        }
        for (var i = 0; i < parameters.Length; i++)
        {
            destination[i] = ToEngine(args[i], parameters[i], instance, i);
        }
    }

    /// <summary>Converts results back, issuing funcref handles on <paramref name="instance"/>.</summary>
    public static void ToProto(ReadOnlySpan<EngineValue> results, HostedInstance? instance, ICollection<ProtoValue> destination)
    {
        foreach (var value in results) destination.Add(ToProto(value, instance));
    }

    private static EngineValue ToEngine(ProtoValue arg, EngineValueType expected, HostedInstance? instance, int index)
    {
        switch (expected)
        {
            case EngineValueType.I32 when arg.KindCase == ProtoValue.KindOneofCase.I32: return EngineValue.FromI32(arg.I32);
            case EngineValueType.I64 when arg.KindCase == ProtoValue.KindOneofCase.I64: return EngineValue.FromI64(arg.I64);
            case EngineValueType.F32 when arg.KindCase == ProtoValue.KindOneofCase.F32: return EngineValue.FromF32Bits(arg.F32);
            case EngineValueType.F64 when arg.KindCase == ProtoValue.KindOneofCase.F64: return EngineValue.FromF64Bits(arg.F64);
            case EngineValueType.ExternRef when arg.KindCase == ProtoValue.KindOneofCase.Externref:
                // The guest only stores and passes an externref back; boxing the client's handle keeps it unchanged.
                return EngineValue.FromExtern(arg.Externref.HasHandle ? arg.Externref.Handle : null);
            case EngineValueType.FuncRef when arg.KindCase == ProtoValue.KindOneofCase.Funcref:
                if (!arg.Funcref.HasHandle) return EngineValue.Null(EngineValueType.FuncRef);
                return EngineValue.FromFunction(instance?.FunctionFor(arg.Funcref.Handle)
                    ?? throw Invalid($"argument {index}: funcref handle {arg.Funcref.Handle} was not issued by this instance"));
            case EngineValueType.V128 when arg.KindCase == ProtoValue.KindOneofCase.V128:
                // 16 bytes in v128.store's order (sandbox.proto Value.v128); any other length is the caller's error.
                if (arg.V128.Length != ProtoValue.V128Length) throw Invalid($"argument {index}: a v128 is {ProtoValue.V128Length} bytes, not {arg.V128.Length}");
                return EngineValue.FromV128(arg.V128.Span);
            default:
                throw Invalid($"argument {index} must be {expected.ToWat()}, not {ProtoValue.KindName(arg.KindCase)}");
        }
    }

    private static ProtoValue ToProto(EngineValue value, HostedInstance? instance) => value.Type switch
    {
        EngineValueType.I32 => ProtoValue.FromI32(value.AsI32()),
        EngineValueType.I64 => ProtoValue.FromI64(value.AsI64()),
        EngineValueType.F32 => ProtoValue.FromF32Bits((uint)value.Bits),
        EngineValueType.F64 => ProtoValue.FromF64Bits(value.Bits),
        EngineValueType.ExternRef => value.Reference is ulong handle ? ProtoValue.ExternRef(handle) : ProtoValue.NullExternRef(),
        EngineValueType.FuncRef when value.AsFunction() is { } function && instance is not null =>
            new ProtoValue { Funcref = new V1.Reference { Handle = instance.HandleFor(function) } },
        EngineValueType.FuncRef => ProtoValue.NullFuncRef(),
        EngineValueType.V128 => ProtoValue.FromV128(value.AsV128()),
        _ => throw new RpcException(new Status(StatusCode.Unimplemented, $"a {value.Type.ToWat()} result cannot cross the host boundary in this engine yet")),
    };

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));
}

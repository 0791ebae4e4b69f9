using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Sandbox.Grpc.Tests.Infrastructure;

/// <summary>
/// A small service for end-to-end tests, on well-known message types so it needs no proto of
/// its own. Handlers report what they saw through the task sources below.
/// </summary>
public sealed class TestService
{
    public const string ServiceName = "sandbox.test.Test";

    public static readonly Method<StringValue, StringValue> EchoMethod = new(MethodType.Unary, ServiceName, "Echo", StringValue.Parser, StringValue.Parser);
    public static readonly Method<Int32Value, BytesValue> GenerateMethod = new(MethodType.Unary, ServiceName, "Generate", Int32Value.Parser, BytesValue.Parser);
    public static readonly Method<BytesValue, Int32Value> MeasureMethod = new(MethodType.Unary, ServiceName, "Measure", BytesValue.Parser, Int32Value.Parser);
    public static readonly Method<Int32Value, Int32Value> CountMethod = new(MethodType.ServerStreaming, ServiceName, "Count", Int32Value.Parser, Int32Value.Parser);
    public static readonly Method<Int32Value, Int32Value> SumMethod = new(MethodType.ClientStreaming, ServiceName, "Sum", Int32Value.Parser, Int32Value.Parser);
    public static readonly Method<BytesValue, Int64Value> TotalBytesMethod = new(MethodType.ClientStreaming, ServiceName, "TotalBytes", BytesValue.Parser, Int64Value.Parser);
    public static readonly Method<BytesValue, Int64Value> RefuseStreamMethod = new(MethodType.ClientStreaming, ServiceName, "RefuseStream", BytesValue.Parser, Int64Value.Parser);
    public static readonly Method<StringValue, StringValue> ShoutMethod = new(MethodType.DuplexStreaming, ServiceName, "Shout", StringValue.Parser, StringValue.Parser);
    public static readonly Method<Int32Value, Empty> SleepMethod = new(MethodType.Unary, ServiceName, "Sleep", Int32Value.Parser, Empty.Parser);
    public static readonly Method<Int32Value, Empty> SleepIgnoringTokenMethod = new(MethodType.Unary, ServiceName, "SleepIgnoringToken", Int32Value.Parser, Empty.Parser);
    public static readonly Method<StringValue, Empty> ThrowMethod = new(MethodType.Unary, ServiceName, "Throw", StringValue.Parser, Empty.Parser);
    public static readonly Method<StringValue, Empty> FailMethod = new(MethodType.Unary, ServiceName, "Fail", StringValue.Parser, Empty.Parser);
    public static readonly Method<Empty, Empty> MetadataMethod = new(MethodType.Unary, ServiceName, "Metadata", Empty.Parser, Empty.Parser);

    /// <summary>Set when Sleep starts, so a test knows the handler runs before it cancels.</summary>
    public TaskCompletionSource SleepStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when Sleep's cancellation token fires.</summary>
    public TaskCompletionSource SleepCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when Sum has read its first request.</summary>
    public TaskCompletionSource SumReading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set with the HTTP request's grpc-encoding when Measure runs.</summary>
    public TaskCompletionSource<string> MeasureEncoding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void Bind(ServiceBinder binder, TestService service)
    {
        binder.AddFileDescriptor(WrappersReflection.Descriptor);
        // api.proto imports type.proto, which imports any.proto: reflection must send all three.
        binder.AddFileDescriptor(ApiReflection.Descriptor);
        binder.AddMethod(EchoMethod, service.Echo);
        binder.AddMethod(GenerateMethod, service.Generate);
        binder.AddMethod(MeasureMethod, service.Measure);
        binder.AddMethod(CountMethod, service.Count);
        binder.AddMethod(SumMethod, service.Sum);
        binder.AddMethod(TotalBytesMethod, TotalBytes);
        binder.AddMethod(RefuseStreamMethod, RefuseStream);
        binder.AddMethod(ShoutMethod, service.Shout);
        binder.AddMethod(SleepMethod, service.Sleep);
        binder.AddMethod(SleepIgnoringTokenMethod, SleepIgnoringToken);
        binder.AddMethod(ThrowMethod, Throw);
        binder.AddMethod(FailMethod, Fail);
        binder.AddMethod(MetadataMethod, EchoMetadata);
    }

    private Task<StringValue> Echo(StringValue request, ServerCallContext context) => Task.FromResult(request);

    private Task<BytesValue> Generate(Int32Value request, ServerCallContext context)
        => Task.FromResult(new BytesValue { Value = ByteString.CopyFrom(new byte[request.Value]) });

    private Task<Int32Value> Measure(BytesValue request, ServerCallContext context)
    {
        MeasureEncoding.TrySetResult(context.HttpContext!.Request.Headers["grpc-encoding"].ToString());
        return Task.FromResult(new Int32Value { Value = request.Value.Length });
    }

    private async Task Count(Int32Value request, IServerStreamWriter<Int32Value> responses, ServerCallContext context)
    {
        for (var i = 1; i <= request.Value; i++)
        {
            await responses.WriteAsync(new Int32Value { Value = i });
        }
    }

    private async Task<Int32Value> Sum(IAsyncStreamReader<Int32Value> requests, ServerCallContext context)
    {
        var sum = 0;
        while (await requests.MoveNext(context.CancellationToken))
        {
            SumReading.TrySetResult();
            sum += requests.Current.Value;
        }
        return new Int32Value { Value = sum };
    }

    private static async Task<Int64Value> TotalBytes(IAsyncStreamReader<BytesValue> requests, ServerCallContext context)
    {
        long total = 0;
        while (await requests.MoveNext(context.CancellationToken))
        {
            total += requests.Current.Value.Length;
        }
        return new Int64Value { Value = total };
    }

    /// <summary>Ends the call before reading anything, as a service refusing a bad first request does.</summary>
    private static Task<Int64Value> RefuseStream(IAsyncStreamReader<BytesValue> requests, ServerCallContext context)
        => throw new RpcException(StatusCode.NotFound, "No such instance.");

    private async Task Shout(IAsyncStreamReader<StringValue> requests, IServerStreamWriter<StringValue> responses, ServerCallContext context)
    {
        while (await requests.MoveNext(context.CancellationToken))
        {
            await responses.WriteAsync(new StringValue { Value = requests.Current.Value.ToUpperInvariant() });
        }
    }

    private async Task<Empty> Sleep(Int32Value request, ServerCallContext context)
    {
        SleepStarted.TrySetResult();
        using var registration = context.CancellationToken.Register(SleepCancelled.SetResult);
        await Task.Delay(request.Value, context.CancellationToken);
        return new Empty();
    }

    private static async Task<Empty> SleepIgnoringToken(Int32Value request, ServerCallContext context)
    {
        await Task.Delay(request.Value, CancellationToken.None);
        return new Empty();
    }

    private static Task<Empty> Throw(StringValue request, ServerCallContext context)
        => throw new InvalidOperationException(request.Value);

    private static Task<Empty> Fail(StringValue request, ServerCallContext context)
        => throw new RpcException(StatusCode.InvalidArgument, request.Value, new Metadata().Add("x-reason-bin", [0xDE, 0xAD]));

    /// <summary>Sends the request's x-text and x-data-bin back as a response header and a trailer.</summary>
    private static async Task<Empty> EchoMetadata(Empty request, ServerCallContext context)
    {
        var text = context.RequestHeaders.GetValue("x-text") ?? "missing";
        var data = context.RequestHeaders.GetValueBytes("x-data-bin") ?? [];
        await context.WriteResponseHeadersAsync(new Metadata().Add("x-text-echo", text));
        context.ResponseTrailers.Add("x-data-echo-bin", data);
        return new Empty();
    }
}

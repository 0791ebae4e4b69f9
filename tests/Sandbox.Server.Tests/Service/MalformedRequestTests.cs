using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;
using Sandbox.Server.Tests.Infrastructure;
using Sandbox.V1;

namespace Sandbox.Server.Tests.Service;

/// <summary>
/// Request bodies that are not a message of the RPC's request type, sent as raw gRPC frames over
/// HTTP/2: client input, so INVALID_ARGUMENT, never UNKNOWN or INTERNAL (grpc-dotnet answers an
/// exception from the request's deserializer with UNKNOWN "Exception was thrown by handler.").
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class MalformedRequestTests(SandboxServerFixture fixture)
{
    public static TheoryData<string, string> Bodies => new()
    {
        // 0xFF... : a tag whose varint never ends (more than 10 bytes with the continuation bit).
        { "Invoke", "ffffffffffffffffffffffff" },
        // 0x0F: field 1, wire type 7, which does not exist (protobuf encoding, "Message structure").
        { "Invoke", "0f00" },
        // Field 1 (instance_id), length 0x10, and only three bytes of it: a truncated message.
        { "Invoke", "0a10616263" },
        // Field 1 (instance_id), length 2, bytes that are not UTF-8 (a string field must be).
        { "Invoke", "0a02c328" },
        // Field 0: protobuf has no field number 0.
        { "Execute", "0000" },
        // Field 1 (wasm bytes) of a length beyond the body.
        { "CompileModule", "0affffffff0f00" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Call_BodyNotAMessageOfTheRequestType_FailsInvalidArgument(string rpc, string hex)
    {
        var (status, message) = await PostAsync(rpc, Convert.FromHexString(hex));

        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.Contains("could not be parsed", message);
    }

    [Fact]
    public async Task Invoke_TruncatedMessage_CountedAsInvalidArgument()
    {
        var outcomes = new List<(string Rpc, string Outcome)>();
        var durations = new List<object?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Sandbox" && instrument.Name is "sandbox.calls" or "rpc.server.duration") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? rpc = null, outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "rpc") rpc = tag.Value as string;
                if (tag.Key == "outcome") outcome = tag.Value as string;
            }
            if (rpc == "GetMemoryInfo") lock (outcomes) outcomes.Add((rpc, outcome ?? ""));
        });
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            object? method = null, code = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "rpc.method") method = tag.Value;
                if (tag.Key == "rpc.grpc.status_code") code = tag.Value;
            }
            if (method is "GetMemoryInfo") lock (durations) durations.Add(code);
        });
        listener.Start();
        // A whole GetMemoryInfoRequest, cut in the middle of its instance id.
        var whole = new GetMemoryInfoRequest { InstanceId = "0123456789abcdef" }.ToByteArray();

        var (status, _) = await PostAsync("GetMemoryInfo", whole[..(whole.Length / 2)]);

        Assert.Equal(StatusCode.InvalidArgument, status);
        // The metrics are recorded once the request pipeline has finished, just after the response.
        for (var wait = 0; wait < 100 && (Count(outcomes) == 0 || Count(durations) == 0); wait++) await Task.Delay(20);
        lock (outcomes) Assert.Contains(("GetMemoryInfo", "InvalidArgument"), outcomes);
        lock (durations) Assert.Contains((int)StatusCode.InvalidArgument, durations);
    }

    [Fact]
    public async Task Invoke_WellFormedMessageThroughTheSameFraming_IsParsed()
    {
        // The framing of PostAsync is right: a whole message reaches the service, which answers
        // for the (unknown) instance, not for the body.
        var body = new InvokeRequest { InstanceId = "no-such-instance", Function = "f" }.ToByteArray();

        var (status, _) = await PostAsync("Invoke", body);

        Assert.Equal(StatusCode.NotFound, status);
    }

    private static int Count<T>(List<T> list)
    {
        lock (list) return list.Count;
    }

    /// <summary>
    /// POSTs one gRPC message frame (PROTOCOL-HTTP2.md "Length-Prefixed-Message": a compressed
    /// flag byte, a 4-byte big-endian length, the bytes) to <c>/sandbox.v1.Sandbox/RPC</c> over
    /// h2c, and returns the call's <c>grpc-status</c> and <c>grpc-message</c>.
    /// </summary>
    private async Task<(StatusCode Status, string Message)> PostAsync(string rpc, byte[] message)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = 0; // not compressed
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame.AsSpan(5));
        using var http = new HttpClient(new SocketsHttpHandler());
        // h2c with prior knowledge, as gRPC clients speak to a cleartext endpoint.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{fixture.Address}/{SandboxGrpc.ServiceName}/{rpc}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode} {response.Version} {response.Headers} {await response.Content.ReadAsStringAsync()}");
        // A trailers-only response carries the status in its headers, any other in its trailers.
        var headers = response.TrailingHeaders.Contains("grpc-status") ? response.TrailingHeaders : response.Headers;
        var status = (StatusCode)int.Parse(headers.GetValues("grpc-status").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var detail = headers.TryGetValues("grpc-message", out var values) ? Uri.UnescapeDataString(values.Single()) : "";
        return (status, detail);
    }
}

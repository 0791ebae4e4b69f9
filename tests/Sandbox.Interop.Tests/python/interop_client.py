#!/usr/bin/python3
"""gRPC interop client on Python's grpcio, for testing our wire layer's server.

Implements the client cases of grpc/grpc doc/interop-test-descriptions.md with the arguments that
document fixes (--server_host, --server_port, --test_case; plaintext only). Runs one case, prints
what it does, and exits 0 when every assertion of the case holds, 1 with the reason otherwise.

Stubs are generated at run time (protogen.py) from ../protos, the same files the C# host compiles,
into a temporary directory. Needs Debian's python3-grpcio and python3-grpc-tools.
"""

import argparse
import os
import shutil
import sys
import tempfile
import threading

import grpc

from protogen import compile_protos

PROTO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "protos")
PROTO_FILES = ("grpc/testing/empty.proto", "grpc/testing/messages.proto", "grpc/testing/test.proto")

# Sizes and values from interop-test-descriptions.md.
LARGE_REQUEST_SIZE = 271828
LARGE_RESPONSE_SIZE = 314159
STREAM_REQUEST_SIZES = (27182, 8, 1828, 45904)
STREAM_RESPONSE_SIZES = (31415, 9, 2653, 58979)
ECHO_INITIAL_KEY = "x-grpc-test-echo-initial"
ECHO_INITIAL_VALUE = "test_initial_metadata_value"
ECHO_TRAILING_KEY = "x-grpc-test-echo-trailing-bin"
ECHO_TRAILING_VALUE = b"\xab\xab\xab"
TEST_STATUS_MESSAGE = "test status message"
SPECIAL_STATUS_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"


class InteropFailure(Exception):
    """An assertion of the case did not hold."""


def generate_stubs(work_dir):
    """Compiles the protos into work_dir and returns the (empty, messages, test_grpc) modules."""
    load = compile_protos(PROTO_DIR, PROTO_FILES, work_dir, "interop_protos")
    return (load("grpc/testing/empty.proto", "_pb2"),
            load("grpc/testing/messages.proto", "_pb2"),
            load("grpc/testing/test.proto", "_pb2_grpc"))


class RequestPipe:
    """A request iterator the test feeds one message at a time, then closes (half-close)."""

    def __init__(self):
        self._condition = threading.Condition()
        self._queue = []
        self._closed = False

    def __iter__(self):
        return self

    def __next__(self):
        with self._condition:
            while not self._queue and not self._closed:
                self._condition.wait()
            if self._queue:
                return self._queue.pop(0)
            raise StopIteration()

    def add(self, request):
        with self._condition:
            self._queue.append(request)
            self._condition.notify()

    def close(self):
        with self._condition:
            self._closed = True
            self._condition.notify()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def expect(condition, message):
    if not condition:
        raise InteropFailure(message)


def step(text):
    # Printed before each call, so the output of a client killed for hanging shows where it hung.
    print(text, flush=True)


class Cases:
    """One method per case of interop-test-descriptions.md, named as there."""

    def __init__(self, channel, empty_pb2, messages_pb2, test_pb2_grpc):
        self.empty_pb2 = empty_pb2
        self.messages = messages_pb2
        self.stub = test_pb2_grpc.TestServiceStub(channel)
        self.unimplemented_stub = test_pb2_grpc.UnimplementedServiceStub(channel)

    def payload(self, size):
        return self.messages.Payload(type=self.messages.COMPRESSABLE, body=b"\x00" * size)

    def expect_zeros(self, payload, size, what):
        expect(len(payload.body) == size, "%s: payload body is %d bytes, expected %d" % (what, len(payload.body), size))
        expect(payload.body == b"\x00" * size, "%s: payload body is not all zeros" % what)

    def expect_status(self, error, code, message, what):
        expect(isinstance(error, grpc.RpcError), "%s: expected an RpcError, got %r" % (what, error))
        expect(error.code() == code, "%s: status %s, expected %s (details %r)" % (what, error.code(), code, error.details()))
        if message is not None:
            expect(error.details() == message, "%s: status message %r, expected %r" % (what, error.details(), message))

    def empty_unary(self):
        step("EmptyCall with the default Empty")
        response = self.stub.EmptyCall(self.empty_pb2.Empty())
        expect(isinstance(response, self.empty_pb2.Empty), "EmptyCall returned %r, expected an Empty" % (response,))

    def large_unary(self):
        step("UnaryCall: %d-byte request, %d-byte response" % (LARGE_REQUEST_SIZE, LARGE_RESPONSE_SIZE))
        request = self.messages.SimpleRequest(
            response_type=self.messages.COMPRESSABLE,
            response_size=LARGE_RESPONSE_SIZE,
            payload=self.payload(LARGE_REQUEST_SIZE))
        response = self.stub.UnaryCall(request)
        self.expect_zeros(response.payload, LARGE_RESPONSE_SIZE, "UnaryCall")

    def client_compressed_unary(self):
        def request(expect_compressed):
            return self.messages.SimpleRequest(
                response_type=self.messages.COMPRESSABLE,
                response_size=LARGE_RESPONSE_SIZE,
                payload=self.payload(LARGE_REQUEST_SIZE),
                expect_compressed=self.messages.BoolValue(value=expect_compressed))

        step("UnaryCall probe: uncompressed, expect_compressed=true")
        try:
            self.stub.UnaryCall(request(True), compression=grpc.Compression.NoCompression)
        except grpc.RpcError as error:
            self.expect_status(error, grpc.StatusCode.INVALID_ARGUMENT, None, "probe")
        else:
            raise InteropFailure("the probe succeeded: the server does not check expect_compressed")

        step("UnaryCall: gzip, expect_compressed=true")
        response = self.stub.UnaryCall(request(True), compression=grpc.Compression.Gzip)
        self.expect_zeros(response.payload, LARGE_RESPONSE_SIZE, "compressed UnaryCall")

        step("UnaryCall: uncompressed, expect_compressed=false")
        response = self.stub.UnaryCall(request(False), compression=grpc.Compression.NoCompression)
        self.expect_zeros(response.payload, LARGE_RESPONSE_SIZE, "uncompressed UnaryCall")

    def client_streaming(self):
        step("StreamingInputCall with payloads of %s bytes" % (STREAM_REQUEST_SIZES,))
        requests = (self.messages.StreamingInputCallRequest(payload=self.payload(size)) for size in STREAM_REQUEST_SIZES)
        response = self.stub.StreamingInputCall(requests)
        expected = sum(STREAM_REQUEST_SIZES)
        expect(response.aggregated_payload_size == expected,
               "aggregated_payload_size is %d, expected %d" % (response.aggregated_payload_size, expected))

    def server_streaming(self):
        step("StreamingOutputCall asking for responses of %s bytes" % (STREAM_RESPONSE_SIZES,))
        request = self.messages.StreamingOutputCallRequest(
            response_type=self.messages.COMPRESSABLE,
            response_parameters=[self.messages.ResponseParameters(size=size) for size in STREAM_RESPONSE_SIZES])
        responses = list(self.stub.StreamingOutputCall(request))
        expect(len(responses) == len(STREAM_RESPONSE_SIZES),
               "received %d responses, expected %d" % (len(responses), len(STREAM_RESPONSE_SIZES)))
        for index, (response, size) in enumerate(zip(responses, STREAM_RESPONSE_SIZES)):
            self.expect_zeros(response.payload, size, "response %d" % index)

    def ping_pong(self):
        with RequestPipe() as pipe:
            responses = self.stub.FullDuplexCall(pipe)
            for index, (request_size, response_size) in enumerate(zip(STREAM_REQUEST_SIZES, STREAM_RESPONSE_SIZES)):
                step("FullDuplexCall ping %d: %d bytes, asking for %d" % (index, request_size, response_size))
                pipe.add(self.messages.StreamingOutputCallRequest(
                    response_type=self.messages.COMPRESSABLE,
                    response_parameters=[self.messages.ResponseParameters(size=response_size)],
                    payload=self.payload(request_size)))
                response = next(responses)
                self.expect_zeros(response.payload, response_size, "pong %d" % index)
            step("FullDuplexCall half-close")
            pipe.close()
            remaining = list(responses)
            expect(not remaining, "received %d responses after the last pong, expected none" % len(remaining))
            expect(responses.code() == grpc.StatusCode.OK, "call ended with %s, expected OK" % responses.code())

    def empty_stream(self):
        step("FullDuplexCall, then half-close at once")
        responses = list(self.stub.FullDuplexCall(iter(())))
        expect(not responses, "received %d responses, expected none" % len(responses))

    def custom_metadata(self):
        metadata = ((ECHO_INITIAL_KEY, ECHO_INITIAL_VALUE), (ECHO_TRAILING_KEY, ECHO_TRAILING_VALUE))

        def check(initial, trailing, what):
            initial = dict(initial or ())
            trailing = dict(trailing or ())
            expect(initial.get(ECHO_INITIAL_KEY) == ECHO_INITIAL_VALUE,
                   "%s: initial metadata %r lacks %s=%r" % (what, initial, ECHO_INITIAL_KEY, ECHO_INITIAL_VALUE))
            expect(trailing.get(ECHO_TRAILING_KEY) == ECHO_TRAILING_VALUE,
                   "%s: trailing metadata %r lacks %s=%r" % (what, trailing, ECHO_TRAILING_KEY, ECHO_TRAILING_VALUE))

        step("UnaryCall with echo metadata")
        request = self.messages.SimpleRequest(
            response_type=self.messages.COMPRESSABLE,
            response_size=LARGE_RESPONSE_SIZE,
            payload=self.payload(LARGE_REQUEST_SIZE))
        response, call = self.stub.UnaryCall.with_call(request, metadata=metadata)
        self.expect_zeros(response.payload, LARGE_RESPONSE_SIZE, "UnaryCall")
        check(call.initial_metadata(), call.trailing_metadata(), "UnaryCall")

        step("FullDuplexCall with echo metadata")
        request = self.messages.StreamingOutputCallRequest(
            response_type=self.messages.COMPRESSABLE,
            response_parameters=[self.messages.ResponseParameters(size=LARGE_RESPONSE_SIZE)],
            payload=self.payload(LARGE_REQUEST_SIZE))
        with RequestPipe() as pipe:
            responses = self.stub.FullDuplexCall(pipe, metadata=metadata)
            pipe.add(request)
            pipe.close()
            received = list(responses)
            expect(len(received) == 1, "FullDuplexCall: received %d responses, expected 1" % len(received))
            self.expect_zeros(received[0].payload, LARGE_RESPONSE_SIZE, "FullDuplexCall")
            check(responses.initial_metadata(), responses.trailing_metadata(), "FullDuplexCall")

    def status_code_and_message(self):
        code = grpc.StatusCode.UNKNOWN
        status = self.messages.EchoStatus(code=code.value[0], message=TEST_STATUS_MESSAGE)

        step("UnaryCall asking for status %s %r" % (code, TEST_STATUS_MESSAGE))
        try:
            self.stub.UnaryCall(self.messages.SimpleRequest(response_status=status))
        except grpc.RpcError as error:
            self.expect_status(error, code, TEST_STATUS_MESSAGE, "UnaryCall")
        else:
            raise InteropFailure("UnaryCall succeeded, expected status %s" % code)

        step("FullDuplexCall asking for status %s %r, then half-close" % (code, TEST_STATUS_MESSAGE))
        with RequestPipe() as pipe:
            responses = self.stub.FullDuplexCall(pipe)
            pipe.add(self.messages.StreamingOutputCallRequest(response_status=status))
            pipe.close()
            try:
                next(responses)
            except grpc.RpcError as error:
                self.expect_status(error, code, TEST_STATUS_MESSAGE, "FullDuplexCall")
            else:
                raise InteropFailure("FullDuplexCall returned a response, expected status %s" % code)

    def special_status_message(self):
        code = grpc.StatusCode.UNKNOWN
        step("UnaryCall asking for status %s %r" % (code, SPECIAL_STATUS_MESSAGE))
        status = self.messages.EchoStatus(code=code.value[0], message=SPECIAL_STATUS_MESSAGE)
        try:
            self.stub.UnaryCall(self.messages.SimpleRequest(response_status=status))
        except grpc.RpcError as error:
            self.expect_status(error, code, SPECIAL_STATUS_MESSAGE, "UnaryCall")
        else:
            raise InteropFailure("UnaryCall succeeded, expected status %s" % code)

    def unimplemented_method(self):
        step("TestService/UnimplementedCall")
        try:
            self.stub.UnimplementedCall(self.empty_pb2.Empty())
        except grpc.RpcError as error:
            self.expect_status(error, grpc.StatusCode.UNIMPLEMENTED, None, "UnimplementedCall")
        else:
            raise InteropFailure("UnimplementedCall succeeded, expected UNIMPLEMENTED")

    def unimplemented_service(self):
        step("UnimplementedService/UnimplementedCall")
        try:
            self.unimplemented_stub.UnimplementedCall(self.empty_pb2.Empty())
        except grpc.RpcError as error:
            self.expect_status(error, grpc.StatusCode.UNIMPLEMENTED, None, "UnimplementedService")
        else:
            raise InteropFailure("UnimplementedService/UnimplementedCall succeeded, expected UNIMPLEMENTED")

    def cancel_after_begin(self):
        step("StreamingInputCall, cancelled before any message")
        with RequestPipe() as pipe:
            future = self.stub.StreamingInputCall.future(pipe)
            future.cancel()
            expect(future.cancelled(), "the call does not report itself cancelled")
            expect(future.code() == grpc.StatusCode.CANCELLED, "call ended with %s, expected CANCELLED" % future.code())

    def cancel_after_first_response(self):
        with RequestPipe() as pipe:
            responses = self.stub.FullDuplexCall(pipe)
            step("FullDuplexCall: %d bytes, asking for %d" % (STREAM_REQUEST_SIZES[0], STREAM_RESPONSE_SIZES[0]))
            pipe.add(self.messages.StreamingOutputCallRequest(
                response_type=self.messages.COMPRESSABLE,
                response_parameters=[self.messages.ResponseParameters(size=STREAM_RESPONSE_SIZES[0])],
                payload=self.payload(STREAM_REQUEST_SIZES[0])))
            response = next(responses)
            self.expect_zeros(response.payload, STREAM_RESPONSE_SIZES[0], "first response")
            step("cancel after the first response")
            responses.cancel()
            try:
                next(responses)
            except grpc.RpcError as error:
                self.expect_status(error, grpc.StatusCode.CANCELLED, None, "FullDuplexCall after cancel")
            else:
                raise InteropFailure("FullDuplexCall returned another response after cancel")

    def timeout_on_sleeping_server(self):
        step("FullDuplexCall with a 1 ms deadline and one request, then wait")
        with RequestPipe() as pipe:
            responses = self.stub.FullDuplexCall(pipe, timeout=0.001)
            pipe.add(self.messages.StreamingOutputCallRequest(
                response_type=self.messages.COMPRESSABLE,
                payload=self.payload(STREAM_REQUEST_SIZES[0])))
            try:
                next(responses)
            except grpc.RpcError as error:
                self.expect_status(error, grpc.StatusCode.DEADLINE_EXCEEDED, None, "FullDuplexCall")
            else:
                raise InteropFailure("FullDuplexCall returned a response, expected DEADLINE_EXCEEDED")


CASES = (
    "empty_unary", "large_unary", "client_compressed_unary", "client_streaming", "server_streaming", "ping_pong",
    "empty_stream", "custom_metadata", "status_code_and_message", "special_status_message", "unimplemented_method",
    "unimplemented_service", "cancel_after_begin", "cancel_after_first_response", "timeout_on_sleeping_server",
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server_host", default="127.0.0.1")
    parser.add_argument("--server_port", type=int, required=True)
    parser.add_argument("--test_case", required=True, choices=CASES)
    parser.add_argument("--use_tls", default="false", choices=("false",),
                        help="only plaintext (h2c) is supported")
    args = parser.parse_args()

    work_dir = tempfile.mkdtemp(prefix="grpc-interop-py-")
    try:
        empty_pb2, messages_pb2, test_pb2_grpc = generate_stubs(work_dir)
        target = "%s:%d" % (args.server_host, args.server_port)
        print("grpcio %s -> %s, case %s" % (grpc.__version__, target, args.test_case), flush=True)
        # A proxy from the environment (http_proxy) must not sit between the client and a loopback server.
        with grpc.insecure_channel(target, options=[("grpc.enable_http_proxy", 0)]) as channel:
            getattr(Cases(channel, empty_pb2, messages_pb2, test_pb2_grpc), args.test_case)()
    except InteropFailure as failure:
        print("FAIL %s: %s" % (args.test_case, failure), file=sys.stderr, flush=True)
        return 1
    except grpc.RpcError as error:
        print("FAIL %s: unexpected status %s: %r" % (args.test_case, error.code(), error.details()),
              file=sys.stderr, flush=True)
        return 1
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    print("PASS %s" % args.test_case, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

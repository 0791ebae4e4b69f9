#!/usr/bin/python3
"""grpc.testing.TestService on Python's grpcio: the control for the interop clients.

Serves the same server features as the C# host (Host/InteropTestService.cs), on grpcio's own
server. A case that passes here but fails against the C# host points at our wire layer; one that
fails here too points at the client. Prints "listening on PORT" once serving; stops on SIGTERM or
when stdin closes.

    /usr/bin/python3 python/reference_server.py --port=0
"""

import argparse
import os
import sys
import tempfile
import time
from concurrent import futures

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_client import ECHO_INITIAL_KEY, ECHO_TRAILING_KEY, generate_stubs  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    empty_pb2, messages_pb2, test_pb2_grpc = generate_stubs(tempfile.mkdtemp(prefix="grpc-interop-py-server-"))

    def echo_metadata(context):
        metadata = dict(context.invocation_metadata())
        if ECHO_INITIAL_KEY in metadata:
            context.send_initial_metadata(((ECHO_INITIAL_KEY, metadata[ECHO_INITIAL_KEY]),))
        if ECHO_TRAILING_KEY in metadata:
            context.set_trailing_metadata(((ECHO_TRAILING_KEY, metadata[ECHO_TRAILING_KEY]),))

    def echo_status(status, context):
        if status.code != 0:
            context.abort(grpc.StatusCode(next(c for c in grpc.StatusCode if c.value[0] == status.code)), status.message)

    def responses_for(request, context):
        for parameters in request.response_parameters:
            if parameters.interval_us > 0:
                time.sleep(parameters.interval_us / 1e6)
            yield messages_pb2.StreamingOutputCallResponse(
                payload=messages_pb2.Payload(type=messages_pb2.COMPRESSABLE, body=b"\x00" * parameters.size))

    class Servicer(test_pb2_grpc.TestServiceServicer):
        def EmptyCall(self, request, context):
            echo_metadata(context)
            return empty_pb2.Empty()

        def UnaryCall(self, request, context):
            echo_metadata(context)
            echo_status(request.response_status, context)
            return messages_pb2.SimpleResponse(
                payload=messages_pb2.Payload(type=messages_pb2.COMPRESSABLE, body=b"\x00" * request.response_size))

        def StreamingOutputCall(self, request, context):
            echo_metadata(context)
            echo_status(request.response_status, context)
            yield from responses_for(request, context)

        def StreamingInputCall(self, request_iterator, context):
            echo_metadata(context)
            size = sum(len(request.payload.body) for request in request_iterator)
            return messages_pb2.StreamingInputCallResponse(aggregated_payload_size=size)

        def FullDuplexCall(self, request_iterator, context):
            echo_metadata(context)
            for request in request_iterator:
                echo_status(request.response_status, context)
                yield from responses_for(request, context)

        def HalfDuplexCall(self, request_iterator, context):
            echo_metadata(context)
            requests = list(request_iterator)
            for request in requests:
                echo_status(request.response_status, context)
                yield from responses_for(request, context)

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    test_pb2_grpc.add_TestServiceServicer_to_server(Servicer(), server)
    port = server.add_insecure_port("127.0.0.1:%d" % args.port)
    server.start()
    print("listening on %d" % port, flush=True)
    # Serve until whoever started us closes our stdin (or kills us).
    sys.stdin.read()
    server.stop(grace=1).wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Calls a server's standard gRPC services with Python's grpcio, as generic tools do.

grpc.health.v1.Health (Check, Watch) and server reflection (grpc.reflection.v1 and v1alpha), with
stubs generated from Debian's grpc-proto (/usr/share/grpc-proto), not from this repository's copies.
Takes the interop client's arguments; cases: health_check, health_watch, reflection_v1,
reflection_v1alpha. Exits 0 when every assertion holds, 1 with the reason otherwise.
"""

import argparse
import shutil
import sys
import tempfile

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool

from protogen import compile_protos

GRPC_PROTO_ROOT = "/usr/share/grpc-proto"
HEALTH_PROTO = "grpc/health/v1/health.proto"
REFLECTION_PROTOS = {"v1": "grpc/reflection/v1/reflection.proto", "v1alpha": "grpc/reflection/v1alpha/reflection.proto"}

# The service the interop host maps, and a file and message it defines (protos/grpc/testing).
TEST_SERVICE = "grpc.testing.TestService"
TEST_SERVICE_METHODS = {"EmptyCall", "UnaryCall", "CacheableUnaryCall", "StreamingOutputCall", "StreamingInputCall",
                        "FullDuplexCall", "HalfDuplexCall", "UnimplementedCall"}
MESSAGES_FILE = "grpc/testing/messages.proto"
UNKNOWN = "no.such.Service"
NOT_FOUND = 5  # grpc status code, as reflection's ErrorResponse carries it


class Failure(Exception):
    """An assertion of the case did not hold."""


def expect(condition, message):
    if not condition:
        raise Failure(message)


def step(text):
    print(text, flush=True)


def health_check(channel, load):
    health_pb2 = load(HEALTH_PROTO, "_pb2")
    stub = load(HEALTH_PROTO, "_pb2_grpc").HealthStub(channel)
    serving = health_pb2.HealthCheckResponse.SERVING

    step("Check(''): the server as a whole")
    response = stub.Check(health_pb2.HealthCheckRequest(service=""))
    expect(response.status == serving, "Check('') answered %s, expected SERVING" % response.status)

    step("Check(%r): a service the server does not know" % UNKNOWN)
    try:
        stub.Check(health_pb2.HealthCheckRequest(service=UNKNOWN))
    except grpc.RpcError as error:
        expect(error.code() == grpc.StatusCode.NOT_FOUND, "Check(unknown) ended with %s, expected NOT_FOUND" % error.code())
    else:
        raise Failure("Check(unknown) succeeded, expected NOT_FOUND")


def health_watch(channel, load):
    health_pb2 = load(HEALTH_PROTO, "_pb2")
    stub = load(HEALTH_PROTO, "_pb2_grpc").HealthStub(channel)

    step("Watch(''): first status")
    responses = stub.Watch(health_pb2.HealthCheckRequest(service=""))
    first = next(responses)
    expect(first.status == health_pb2.HealthCheckResponse.SERVING, "Watch('') sent %s first, expected SERVING" % first.status)
    responses.cancel()

    step("Watch(%r): first status" % UNKNOWN)
    responses = stub.Watch(health_pb2.HealthCheckRequest(service=UNKNOWN))
    first = next(responses)
    expect(first.status == health_pb2.HealthCheckResponse.SERVICE_UNKNOWN,
           "Watch(unknown) sent %s first, expected SERVICE_UNKNOWN" % first.status)
    responses.cancel()


def reflection(version):
    path = REFLECTION_PROTOS[version]

    def run(channel, load):
        reflection_pb2 = load(path, "_pb2")
        stub = load(path, "_pb2_grpc").ServerReflectionStub(channel)

        def ask(**request):
            # One request per stream, as grpcurl's simplest use; the answer is the one response.
            responses = list(stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(**request)])))
            expect(len(responses) == 1, "%r: %d responses, expected 1" % (request, len(responses)))
            return responses[0]

        step("list_services")
        listed = {service.name for service in ask(list_services="").list_services_response.service}
        wanted = {TEST_SERVICE, "grpc.health.v1.Health", "grpc.reflection.%s.ServerReflection" % version}
        expect(wanted <= listed, "list_services gave %s, missing %s" % (sorted(listed), sorted(wanted - listed)))

        step("file_containing_symbol %s, and every file it depends on" % TEST_SERVICE)
        files = {}
        for blob in ask(file_containing_symbol=TEST_SERVICE).file_descriptor_response.file_descriptor_proto:
            proto = descriptor_pb2.FileDescriptorProto.FromString(blob)
            files[proto.name] = proto
        expect(files, "file_containing_symbol returned no file")
        # As grpcurl does: fetch any dependency the server did not send along, by file name.
        missing = [dep for proto in list(files.values()) for dep in proto.dependency if dep not in files]
        while missing:
            name = missing.pop()
            response = ask(file_by_filename=name)
            expect(response.HasField("file_descriptor_response"), "file_by_filename %r: %s" % (name, response))
            for blob in response.file_descriptor_response.file_descriptor_proto:
                proto = descriptor_pb2.FileDescriptorProto.FromString(blob)
                if proto.name not in files:
                    files[proto.name] = proto
                    missing.extend(dep for dep in proto.dependency if dep not in files)

        # The descriptors must be complete enough to build the service, as a generic client would.
        pool = descriptor_pool.DescriptorPool()
        added = set()

        def add(name):
            if name in added:
                return
            expect(name in files, "file %r was never returned" % name)
            for dependency in files[name].dependency:
                add(dependency)
            pool.Add(files[name])
            added.add(name)

        for name in files:
            add(name)
        service = pool.FindServiceByName(TEST_SERVICE)
        methods = {method.name for method in service.methods}
        expect(methods == TEST_SERVICE_METHODS,
               "%s has methods %s in the returned descriptors, expected %s" % (TEST_SERVICE, sorted(methods), sorted(TEST_SERVICE_METHODS)))
        unary = service.methods_by_name["UnaryCall"]
        expect(unary.input_type.full_name == "grpc.testing.SimpleRequest",
               "UnaryCall takes %s, expected grpc.testing.SimpleRequest" % unary.input_type.full_name)

        step("file_by_filename %s" % MESSAGES_FILE)
        response = ask(file_by_filename=MESSAGES_FILE)
        names = [descriptor_pb2.FileDescriptorProto.FromString(blob).name
                 for blob in response.file_descriptor_response.file_descriptor_proto]
        expect(MESSAGES_FILE in names, "file_by_filename %s returned %s" % (MESSAGES_FILE, names))

        step("file_containing_symbol %s" % UNKNOWN)
        response = ask(file_containing_symbol=UNKNOWN)
        expect(response.HasField("error_response") and response.error_response.error_code == NOT_FOUND,
               "an unknown symbol gave %s, expected error_response NOT_FOUND" % response)

    return run


CASES = {
    "health_check": health_check,
    "health_watch": health_watch,
    "reflection_v1": reflection("v1"),
    "reflection_v1alpha": reflection("v1alpha"),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server_host", default="127.0.0.1")
    parser.add_argument("--server_port", type=int, required=True)
    parser.add_argument("--test_case", required=True, choices=sorted(CASES))
    args = parser.parse_args()

    work_dir = tempfile.mkdtemp(prefix="grpc-std-py-")
    try:
        load = compile_protos(GRPC_PROTO_ROOT, [HEALTH_PROTO] + list(REFLECTION_PROTOS.values()), work_dir, "std_protos")
        target = "%s:%d" % (args.server_host, args.server_port)
        print("grpcio %s -> %s, case %s" % (grpc.__version__, target, args.test_case), flush=True)
        with grpc.insecure_channel(target, options=[("grpc.enable_http_proxy", 0)]) as channel:
            CASES[args.test_case](channel, load)
    except Failure as failure:
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

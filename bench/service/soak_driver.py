#!/usr/bin/env python3
"""The hostile half of bench/service/soak.sh: for DURATION seconds, threads call the server with
what an attacker or a broken client sends, and count how each call ended. Raw bytes over
grpcio's generic stubs (no generated code): request bodies are written with grpc_body.py's
helpers and heavy_module.py's module builder.

Usage: soak_driver.py ADDRESS KEY DURATION_SECONDS MODULE_BYTES_LIMIT

Every call must end with the status expected of it; any other (INTERNAL, UNAVAILABLE, a reset)
is printed and makes the exit code 1.
"""
import collections
import os
import random
import sys
import threading
import time

import grpc

sys.path.insert(0, os.path.dirname(__file__))
from grpc_body import field, varint  # noqa: E402
from heavy_module import leb, module, section  # noqa: E402

address, key, duration, module_limit = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
metadata = (("authorization", "Bearer " + key),)
deadline_at = time.time() + duration
counts = collections.Counter()
unexpected = collections.Counter()
lock = threading.Lock()


def rpc(channel, name):
    return channel.unary_unary("/sandbox.v1.Sandbox/" + name)


def call(stub, body, expected, timeout=10.0, label=""):
    try:
        response = stub(body, metadata=metadata, timeout=timeout)
        code = grpc.StatusCode.OK
    except grpc.RpcError as e:
        response, code = None, e.code()
    with lock:
        counts[(label, code.name)] += 1
        if code not in expected:
            unexpected[(label, code.name)] += 1
    return response


def compile_body(wasm):
    return field(1, 2, wasm)  # CompileModuleRequest.wasm


def execute_body(wasm, function, args=(), timeout_ms=None):
    body = field(2, 2, wasm) + field(3, 2, function.encode())  # ExecuteRequest.wasm, .function
    for a in args:
        body += field(4, 2, field(1, 0, varint(a)))  # args: Value.i32
    if timeout_ms is not None:  # limits: CallLimits.timeout (Duration: seconds = 1, nanos = 2)
        duration_msg = field(2, 0, varint(timeout_ms * 1_000_000))
        body += field(5, 2, field(1, 2, duration_msg))
    return body


def module_id(response):
    # CompileModuleResponse.module_id = 1: the first field, a 64-byte string.
    return response[2:66].decode()


def typed_module(functions_section_types, bodies, exports):
    """A module of explicit types (each a bytes functype), functions (type indices) and exports."""
    types = section(1, leb(len(functions_section_types)) + b"".join(functions_section_types))
    funcs = section(3, leb(len(bodies)) + b"".join(leb(t) for t, _ in bodies))
    exps = section(7, leb(len(exports)) + b"".join(leb(len(n)) + n.encode() + b"\x00" + leb(i) for n, i in exports))
    code = section(10, leb(len(bodies)) + b"".join(leb(len(b)) + b for _, b in bodies))
    return b"\x00asm\x01\x00\x00\x00" + types + funcs + exps + code


I32_I32_TO_I32 = b"\x60\x02\x7f\x7f\x01\x7f"
VOID = b"\x60\x00\x00"
I32_TO_I32 = b"\x60\x01\x7f\x01\x7f"
GUEST = typed_module(
    [I32_I32_TO_I32, VOID, I32_TO_I32],
    [
        (0, b"\x00\x20\x00\x20\x01\x6d\x0b"),                      # div: local.get 0 1; i32.div_s
        (1, b"\x00\x03\x40\x0c\x00\x0b\x0b"),                      # spin: loop br 0
        # deep: unreachable at 0, else 1 + deep(n - 1)
        (2, b"\x00\x20\x00\x45\x04\x40\x00\x0b\x20\x00\x41\x01\x6b\x10\x02\x41\x01\x6a\x0b"),
    ],
    [("div", 0), ("spin", 1), ("deep", 2)])


def churn(channel):
    """Distinct modules compiled, instantiated, invoked, dropped: the cache evicts, code unloads."""
    compile_module, instantiate, drop = rpc(channel, "CompileModule"), rpc(channel, "Instantiate"), rpc(channel, "DropInstance")
    n = 0
    while time.time() < deadline_at:
        n += 1
        wasm = module([b"\x00\x0b"] * random.randint(1, 400), f"churn-{os.getpid()}-{n}")
        response = call(compile_module, compile_body(wasm), {grpc.StatusCode.OK}, label="compile distinct")
        if response is not None and n % 4 == 0:
            created = call(instantiate, field(1, 2, module_id(response).encode()), {grpc.StatusCode.OK}, label="instantiate")
            if created is not None:
                instance_id = created[2:2 + created[1]]
                call(drop, field(1, 2, instance_id), {grpc.StatusCode.OK}, label="drop instance")


def malformed(channel):
    compile_module, execute = rpc(channel, "CompileModule"), rpc(channel, "Execute")
    while time.time() < deadline_at:
        garbage = random.randbytes(random.randint(1, 4096))
        call(compile_module, compile_body(b"\x00asm\x01\x00\x00\x00" + garbage), {grpc.StatusCode.INVALID_ARGUMENT}, label="malformed module")
        # Not a protobuf message at all: the server cannot parse the request.
        call(execute, b"\xff" + garbage, {grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN, grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND}, label="malformed request")


def oversized(channel):
    compile_module = rpc(channel, "CompileModule")
    big = compile_body(b"\x00asm\x01\x00\x00\x00" + bytes(module_limit))
    while time.time() < deadline_at:
        call(compile_module, big, {grpc.StatusCode.RESOURCE_EXHAUSTED}, label="oversized module")
        time.sleep(0.05)


def traps(channel):
    execute = rpc(channel, "Execute")
    while time.time() < deadline_at:
        call(execute, execute_body(GUEST, "div", (1, 0)), {grpc.StatusCode.ABORTED}, label="trap div0")
        call(execute, execute_body(GUEST, "deep", (5000,)), {grpc.StatusCode.ABORTED}, label="trap 5000 deep")


def deadlines(channel):
    execute = rpc(channel, "Execute")
    while time.time() < deadline_at:
        call(execute, execute_body(GUEST, "spin", (), timeout_ms=20), {grpc.StatusCode.DEADLINE_EXCEEDED}, label="spin 20 ms limit")
        call(execute, execute_body(GUEST, "spin"), {grpc.StatusCode.DEADLINE_EXCEEDED}, timeout=0.03, label="spin 30 ms deadline")


def main():
    options = [("grpc.max_send_message_length", 64 << 20), ("grpc.max_receive_message_length", 64 << 20)]
    workers = []
    for work in (churn, malformed, oversized, traps, deadlines):
        channel = grpc.insecure_channel(address, options=options)
        workers.append(threading.Thread(target=work, args=(channel,), name=work.__name__))
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    for (label, code), n in sorted(counts.items()):
        print(f"driver {label:22} {code:20} {n}")
    for (label, code), n in sorted(unexpected.items()):
        print(f"UNEXPECTED {label:22} {code:20} {n}")
    sys.exit(1 if unexpected else 0)


main()

#!/usr/bin/env python3
"""Writes one gRPC-framed request body (for h2load -d) without generated code.

Usage: grpc_body.py invoke INSTANCE_ID FUNCTION A B > invoke.bin
       grpc_body.py execute MODULE_ID FUNCTION A B > execute.bin
       grpc_body.py compile MODULE.wasm > compile.bin
       grpc_body.py health > health.bin

Protobuf wire format (https://protobuf.dev/programming-guides/encoding/): a field is a varint key
(field_number << 3 | wire_type) then its value; wire type 2 is length-delimited, 0 is a varint.
gRPC framing (grpc/grpc doc/PROTOCOL-HTTP2.md): 1 byte compressed flag, 4 bytes big-endian length.
"""
import struct
import sys


def varint(n):
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(number, wire_type, payload):
    key = varint(number << 3 | wire_type)
    if wire_type == 2:
        return key + varint(len(payload)) + payload
    return key + payload


def i32_value(n):
    # sandbox.v1.Value { int32 i32 = 1; }
    return field(1, 0, varint(n))


def call(target_field, target, function, function_field, args_field, args):
    body = field(target_field, 2, target.encode()) + field(function_field, 2, function.encode())
    for a in args:
        body += field(args_field, 2, i32_value(int(a)))
    return body


def main():
    kind = sys.argv[1]
    if kind == "invoke":  # InvokeRequest: instance_id = 1, function = 2, args = 3
        message = call(1, sys.argv[2], sys.argv[3], 2, 3, sys.argv[4:])
    elif kind == "execute":  # ExecuteRequest: module_id = 1, function = 3, args = 4
        message = call(1, sys.argv[2], sys.argv[3], 3, 4, sys.argv[4:])
    elif kind == "compile":  # CompileModuleRequest: wasm = 1
        with open(sys.argv[2], "rb") as f:
            message = field(1, 2, f.read())
    elif kind == "health":  # grpc.health.v1.HealthCheckRequest { service = 1 }: empty = the server
        message = b""
    else:
        raise SystemExit(__doc__)
    sys.stdout.buffer.write(b"\x00" + struct.pack(">I", len(message)) + message)


if __name__ == "__main__":
    main()

"""Compiles .proto files into Python modules at run time, with Debian's grpc_tools.protoc.

Generated modules cannot live under a top-level "grpc" package: that name is grpcio's own, so
"from grpc.testing import messages_pb2" would look inside grpcio. The protos are copied under a
prefix package instead and their imports of each other rewritten to match; the proto packages,
and so every method path on the wire, stay as they are.
"""

import importlib
import os
import sys

from grpc_tools import protoc


def compile_protos(proto_root, relative_paths, work_dir, prefix):
    """Compiles proto_root/<relative_paths> under the package <prefix> and returns a function that
    imports a generated module by its proto path and suffix, e.g. ("grpc/testing/test.proto", "_pb2_grpc")."""
    source_root = os.path.join(work_dir, "src")
    for relative in relative_paths:
        target = os.path.join(source_root, prefix, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(os.path.join(proto_root, relative), encoding="utf-8") as source:
            text = source.read()
        for other in relative_paths:
            text = text.replace('import "%s";' % other, 'import "%s/%s";' % (prefix, other))
        with open(target, "w", encoding="utf-8") as copy:
            copy.write(text)

    out_dir = os.path.join(work_dir, "out")
    os.makedirs(out_dir, exist_ok=True)
    args = ["grpc_tools.protoc", "-I" + source_root, "--python_out=" + out_dir, "--grpc_python_out=" + out_dir]
    args += [os.path.join(prefix, relative) for relative in relative_paths]
    if protoc.main(args) != 0:
        raise RuntimeError("grpc_tools.protoc failed on %s" % ", ".join(relative_paths))
    sys.path.insert(0, out_dir)

    def load(relative, suffix):
        module = os.path.splitext(os.path.join(prefix, relative))[0].replace(os.sep, ".").replace("/", ".")
        return importlib.import_module(module + suffix)

    return load

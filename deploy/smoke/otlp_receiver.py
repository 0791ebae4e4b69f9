"""A stand-in OTLP/HTTP receiver for deploy/smoke.sh: stands where the OpenTelemetry Collector
would, on 127.0.0.1, and records what the server exports.

Each POST (to /v1/metrics, /v1/traces or /v1/logs) is answered 200 with an empty
Export*ServiceResponse (an empty protobuf message is zero bytes) and appended to RECORD as one
JSON line: the path, content type, body size and the instrument names found in the body.
The names are found without a protobuf decoder: OTLP carries Metric.name as a length-delimited
string, so its UTF-8 bytes appear verbatim in the body.

Usage: python3 otlp_receiver.py PORT_FILE RECORD
Binds 127.0.0.1 on a free port and writes the port to PORT_FILE once it listens.
"""

import gzip
import http.server
import json
import re
import sys

# The server's own instruments (meter `Sandbox`) and the gRPC semantic-convention ones.
INSTRUMENT = re.compile(rb"(?:sandbox|rpc\.server)\.[a-z0-9_.]+")
MAX_BODY = 64 * 1024 * 1024


class Handler(http.server.BaseHTTPRequestHandler):
    record_path = ""

    def do_POST(self):  # noqa: N802 (the name http.server calls)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.send_error(413)
            return
        body = self.rfile.read(length)
        if self.headers.get("Content-Encoding", "") == "gzip":  # OTEL_EXPORTER_OTLP_COMPRESSION=gzip
            body = gzip.decompress(body)
        entry = {
            "path": self.path,
            "content_type": self.headers.get("Content-Type", ""),
            "content_encoding": self.headers.get("Content-Encoding", ""),
            "bytes": len(body),
            # A match ending in "." is the start of a longer string, e.g. the rpc.service
            # attribute "sandbox.v1.Sandbox", not an instrument.
            "names": sorted({m.decode() for m in INSTRUMENT.findall(body) if not m.endswith(b".")}),
        }
        with open(self.record_path, "a", encoding="utf-8") as record:
            record.write(json.dumps(entry) + "\n")
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
        pass  # the record is the log


def main():
    port_file, record_path = sys.argv[1], sys.argv[2]
    Handler.record_path = record_path
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(port_file, "w", encoding="utf-8") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()

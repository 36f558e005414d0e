#!/usr/bin/python3
"""A gRPC server on 127.0.0.1 whose every IncidentService call fails UNAVAILABLE the first
time and succeeds (an empty answer) after: the server restarting under a client, for the CLI's
retry test (Debian's python3-grpcio).

Each request's bytes are appended to OUT as one line, "<method> <hex>", when they arrive.
Prints "READY <port>" once listening; exits 0 on SIGTERM or SIGINT.

  --out FILE   where requests go
"""
import argparse
import signal
import sys
import threading
from concurrent import futures

import grpc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    lock = threading.Lock()
    calls = {}

    class Flaky(grpc.GenericRpcHandler):
        def service(self, details):
            method = details.method
            if not method.startswith("/amends.v1.IncidentService/"):
                return None

            def answer(request, context):
                with lock:
                    with open(args.out, "a") as out:
                        out.write(f"{method} {request.hex()}\n")
                    calls[method] = calls.get(method, 0) + 1
                    first = calls[method] == 1
                if first:
                    context.abort(grpc.StatusCode.UNAVAILABLE, "restarting")
                return b""

            return grpc.unary_unary_rpc_method_handler(answer)

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), handlers=[Flaky()])
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    print(f"READY {port}", flush=True)
    stop.wait()
    server.stop(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

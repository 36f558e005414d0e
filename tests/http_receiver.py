#!/usr/bin/python3
"""A real HTTP(S) receiver for webhook tests (Python's http.server), on 127.0.0.1.

Each POST is answered, then written to OUT as <n>.json (n = 1, 2, ...):
  {"method", "path", "headers": {lower-case name: value}, "body": the body as text}
written to <n>.tmp first and renamed, so a reader sees it whole.

Prints "READY <port>" once listening; exits 0 on SIGTERM or SIGINT.

  --port N             0: any free port
  --out DIR            where requests go (made if missing)
  --cert F --key F     HTTPS with this certificate
  --status CODES       answer the requests with these codes in turn, e.g. 500,200; the last
                       one repeats (default 200)
  --hold SECONDS       answer only after this long (a receiver that hangs); the request is
                       written when it arrives
  --sink FILE          for benchmarks: instead of OUT, append one line per request to FILE,
                       "<arrival, Unix seconds>\t<body bytes>\t<X-Amends-Delivery>\t<path>",
                       written at once, and keep connections open (HTTP/1.1); --out is then
                       not needed
"""
import argparse
import http.server
import json
import os
import signal
import ssl
import sys
import threading
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--out")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--status", default="200")
    parser.add_argument("--hold", type=float, default=0)
    parser.add_argument("--sink")
    args = parser.parse_args()
    if bool(args.out) == bool(args.sink):
        parser.error("give exactly one of --out and --sink")
    sink = open(args.sink, "a", encoding="utf-8") if args.sink else None
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    codes = [int(c) for c in args.status.split(",")]
    lock = threading.Lock()
    count = [len([f for f in os.listdir(args.out) if f.endswith(".json")]) if args.out else 0]

    class Handler(http.server.BaseHTTPRequestHandler):
        if sink:
            protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if sink:
                line = "%.6f\t%d\t%s\t%s\n" % (
                    time.time(), len(body), self.headers.get("X-Amends-Delivery", ""),
                    self.path.replace("\t", " "))
                with lock:
                    sink.write(line)
                    sink.flush()
                self.answer(200)
                return
            with lock:
                count[0] += 1
                n = count[0]
            record = {
                "method": "POST",
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("utf-8", "replace"),
            }
            tmp = os.path.join(args.out, "%d.tmp" % n)
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(record, f, ensure_ascii=False)
            os.rename(tmp, os.path.join(args.out, "%d.json" % n))
            if args.hold:
                time.sleep(args.hold)
            self.answer(codes[min(n - 1, len(codes) - 1)])

        def answer(self, code):
            answer = b"ok" if code < 300 else b"no"
            self.send_response(code)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *unused):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    signal.signal(signal.SIGTERM, lambda *unused: os._exit(0))
    signal.signal(signal.SIGINT, lambda *unused: os._exit(0))
    print("READY %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Follows every change to amends incidents through WatchService, one line per change.

  watch.py --server HOST:PORT --cursor-file FILE [--token-file FILE] [--team T]
           [--from-oldest] [--stop-after N] [--stubs DIR]
           [--ca FILE | --tls] [--cert FILE --key FILE]

An example of using the amends API outside C++, with Debian's python3-grpcio and
python3-protobuf. The token comes from --token-file, else $AMENDS_TOKEN; the server from
--server, else $AMENDS_SERVER. Over TLS with --ca (else $AMENDS_CA) or --tls (AMENDS_TLS=1).

Stubs: the build generates amends/v1/amends_pb2.py and amends_pb2_grpc.py from
proto/amends/v1/amends.proto into build/client/examples/python (client/examples/CMakeLists.txt).
watch.py imports them from --stubs DIR, else $AMENDS_PY_STUBS, else that directory of this
checkout's build/.

Cursor: after each change it prints, and at each heartbeat, watch.py saves the last sequence
it has seen to --cursor-file (a new file, then renamed over the old one: never half written).
Started again with the same file, it resumes right after it: every change in order, none
missed, and none twice unless watch.py was killed between printing a change and saving it. Without the file it starts from now, or with --from-oldest from the oldest
change the server still keeps. It reconnects by itself when the server goes away.

Exit status: 0 after --stop-after N changes, or on Ctrl-C; 3 when the saved cursor is older
than the server keeps (it prints the oldest sequence still kept); 1 on any other error.
"""
import argparse
import os
import pathlib
import signal
import sys
import threading
import time

# This checkout's build/, seen from client/examples/.
DEFAULT_STUBS = (pathlib.Path(__file__).resolve().parent.parent.parent
                 / "build/client/examples/python")


def enum_name(enum, value, prefix):
    """EVENT_TYPE_FIRST_APOLOGY_RECORDED -> first-apology-recorded, as the CLI writes it."""
    return enum.Name(value).removeprefix(prefix).lower().replace("_", "-")


def save_cursor(path, sequence):
    tmp = f"{path}.tmp"
    with open(tmp, "w") as f:
        f.write(f"{sequence}\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class Watchdog(threading.Thread):
    """Cancels a stream that stays silent for three heartbeat intervals, two heartbeats missed
    (45 s until the opening heartbeat says the interval): its connection is dead, so it is time
    to reconnect."""

    def __init__(self, call):
        super().__init__(daemon=True)
        self.call, self.limit, self.heard, self.fired = call, None, time.monotonic(), False
        self.start()

    def run(self):
        while not self.call.done():
            if time.monotonic() - self.heard > (self.limit or 45):
                self.fired = True
                self.call.cancel()
            time.sleep(0.2)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--server", default=os.environ.get("AMENDS_SERVER"), help="HOST:PORT")
    p.add_argument("--token-file", help="a file holding your token (default: $AMENDS_TOKEN)")
    p.add_argument("--ca", default=os.environ.get("AMENDS_CA"),
                   help="connect over TLS, verifying the server with this PEM CA "
                        "(default: $AMENDS_CA; plaintext without it unless --tls)")
    p.add_argument("--tls", action="store_true",
                   default=os.environ.get("AMENDS_TLS") == "1",
                   help="connect over TLS with the system's roots")
    p.add_argument("--cert", help="mutual TLS: your PEM client certificate (with --key)")
    p.add_argument("--key", help="mutual TLS: its PEM private key")
    p.add_argument("--cursor-file", required=True, help="where the last sequence seen is kept")
    p.add_argument("--team", default="", help="only this team's incidents")
    p.add_argument("--from-oldest", action="store_true",
                   help="without a cursor file: start from the oldest change kept, not now")
    p.add_argument("--stop-after", type=int, metavar="N", help="exit 0 after N changes")
    p.add_argument("--stubs", default=os.environ.get("AMENDS_PY_STUBS", DEFAULT_STUBS),
                   help="directory of the generated amends/v1/*_pb2*.py (default: %(default)s)")
    args = p.parse_args()
    if not args.server:
        p.error("--server or AMENDS_SERVER is required")
    try:
        token = pathlib.Path(args.token_file).read_text() if args.token_file \
            else os.environ.get("AMENDS_TOKEN", "")
        # The last sequence seen, as saved in the cursor file.
        cursor = int(pathlib.Path(args.cursor_file).read_text()) \
            if os.path.exists(args.cursor_file) else None
    except (OSError, ValueError) as e:
        p.error(str(e))
    if not token.strip():
        p.error("--token-file or AMENDS_TOKEN is required")

    sys.path.insert(0, str(args.stubs))
    try:
        import grpc
        from amends.v1 import amends_pb2 as pb, amends_pb2_grpc as pb_grpc
    except ImportError as e:
        p.error(f"{e}: run with Debian's /usr/bin/python3 (python3-grpcio, python3-protobuf) "
                f"and build the stubs, or point --stubs at them")

    metadata = [("authorization", f"Bearer {token.strip()}")]
    if bool(args.cert) != bool(args.key):
        p.error("--cert and --key go together")
    if args.ca or args.tls or args.cert:
        def read(path):
            with open(path, "rb") as f:
                return f.read()
        credentials = grpc.ssl_channel_credentials(
            root_certificates=read(args.ca) if args.ca else None,
            private_key=read(args.key) if args.key else None,
            certificate_chain=read(args.cert) if args.cert else None)
        channel = grpc.secure_channel(args.server, credentials)
    else:
        channel = grpc.insecure_channel(args.server)
    stub = pb_grpc.WatchServiceStub(channel)
    seen, backoff = 0, 0.2
    while True:
        request = pb.WatchRequest(team=args.team)
        if cursor is not None:
            request.after_sequence = cursor
        elif args.from_oldest:
            request.from_oldest = True
        else:
            request.from_now = True
        call = stub.Watch(request, metadata=metadata)
        dog = Watchdog(call)
        try:
            for message in call:
                dog.heard, backoff = time.monotonic(), 0.2
                if message.HasField("heartbeat"):
                    beat = message.heartbeat
                    if dog.limit is None:  # the opening heartbeat: where the stream starts
                        print(f"watch.py: watching {args.server} after sequence {beat.sequence}",
                              file=sys.stderr, flush=True)
                    dog.limit = 3 * beat.interval.ToTimedelta().total_seconds()
                    if beat.sequence != cursor:
                        cursor = beat.sequence
                        save_cursor(args.cursor_file, cursor)
                    continue
                event, incident = message.change.event, message.change.incident
                print(f"[{event.sequence}] #{event.incident_id} "
                      f"{enum_name(pb.EventType, event.type, 'EVENT_TYPE_')} by {event.actor}, "
                      f"state {enum_name(pb.State, incident.state, 'STATE_')}, "
                      f"client {incident.client.name}", flush=True)
                cursor = event.sequence
                save_cursor(args.cursor_file, cursor)
                seen += 1
                if args.stop_after is not None and seen >= args.stop_after:
                    return 0
        except grpc.RpcError as e:
            code = e.code()
            if code == grpc.StatusCode.OUT_OF_RANGE:
                oldest = dict(e.trailing_metadata() or ()).get("amends-oldest-sequence", "?")
                print(f"watch.py: the cursor {cursor} in {args.cursor_file} is older than the "
                      f"server keeps; the oldest sequence still kept is {oldest}. Remove the "
                      "file and start with --from-oldest, or re-sync from ListIncidents.",
                      file=sys.stderr)
                return 3
            # Retry what a reconnect can fix; a bad token or filter it cannot.
            if code not in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED,
                            grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.INTERNAL,
                            grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.UNKNOWN):
                print(f"watch.py: {code.name}: {e.details()}", file=sys.stderr)
                return 1
            why = "the stream went silent" if dog.fired else f"{code.name}: {e.details()}"
            print(f"watch.py: {why}; reconnecting in {backoff:.1f}s", file=sys.stderr)
        finally:
            call.cancel()
        time.sleep(backoff)
        backoff = min(backoff * 2, 10)


if __name__ == "__main__":
    # Ctrl-C and SIGTERM stop quietly; the cursor file already holds the last change handled.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)

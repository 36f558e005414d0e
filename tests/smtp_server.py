#!/usr/bin/python3
"""A real SMTP server for tests (aiosmtpd), listening on 127.0.0.1.

Each message received is written to OUT as <n>.json, then <n>.eml (n = 1, 2, ...; a restart
on the same OUT goes on counting), so that a reader who sees <n>.eml sees both whole:
  <n>.eml   the message's bytes as received (after SMTP dot-unstuffing)
  <n>.json  {"mail_from", "rcpt_tos", "subject" and "body" decoded by Python's email package
            (RFC 2047 words, base64, charset), "body" with "\\n" line ends}

Prints "READY <port>" once listening; exits 0 on SIGTERM or SIGINT.

  --port N                       0: any free port
  --out DIR                      where messages go (made if missing)
  --starttls-cert F --starttls-key F   offer STARTTLS and require it before MAIL
  --implicit-tls                 with the cert and key: TLS from the first byte instead
  --auth USER:PASS               require AUTH (PLAIN or LOGIN) with these credentials
  --refuse CODE                  answer every RCPT with CODE, e.g. 550 or 450
  --refuse-only PREFIX           with --refuse: only recipients whose address starts with PREFIX
  --hold PREFIX                  answer DATA for recipients whose address starts with PREFIX only
                                 after 5 seconds (a slow mail server; other connections go on)
  --sink FILE                    for benchmarks: instead of OUT, append one line per message to
                                 FILE, "<arrival, Unix seconds>\t<bytes>\t<Message-ID>\t<subject>"
                                 (subject decoded, tabs and line breaks as spaces), written at
                                 once; --out is then not needed
"""
import argparse
import asyncio
import email
import email.header
import email.policy
import json
import logging
import os
import re
import signal
import ssl
import sys
import time

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, out, refuse, refuse_only, hold):
        self.out = out
        self.hold = hold
        self.refuse = refuse
        self.refuse_only = refuse_only or ""
        self.count = sum(1 for f in os.listdir(out) if f.endswith(".eml"))

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse and address.startswith(self.refuse_only):
            cls = str(self.refuse)[0]
            return f"{self.refuse} {cls}.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.hold and any(a.startswith(self.hold) for a in envelope.rcpt_tos):
            await asyncio.sleep(5)
        self.count += 1
        n = self.count
        raw = envelope.original_content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        try:
            body = message.get_content()
        except Exception as e:  # noqa: BLE001 - a test wants to see what was wrong
            body = f"<undecodable: {e}>"
        info = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": str(message.get("subject", "")),
            "body": body.replace("\r\n", "\n"),
            "peer_port": session.peer[1],
        }
        write(os.path.join(self.out, f"{n}.json"), json.dumps(info, ensure_ascii=False).encode())
        write(os.path.join(self.out, f"{n}.eml"), raw)
        return f"250 2.0.0 Ok: queued as {n}"


class SinkHandler:
    """Records only when each message arrived, its size, Message-ID and subject: fast enough that
    a benchmark measures the sender rather than this server's file writing and parsing."""

    def __init__(self, path):
        # Line-buffered: each line is written whole as its message is taken.
        self.file = open(path, "a", buffering=1, encoding="utf-8")

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        arrived = time.time()
        raw = envelope.original_content
        head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
        head = re.sub(r"\r\n[ \t]", " ", head)  # unfold
        subject = message_id = ""
        for line in head.split("\r\n"):
            name, _, value = line.partition(":")
            name = name.lower()
            if name == "subject" and not subject:
                try:
                    subject = str(email.header.make_header(email.header.decode_header(value.strip())))
                except Exception:  # noqa: BLE001 - keep the raw value, the line must go out
                    subject = value.strip()
            elif name == "message-id" and not message_id:
                message_id = value.strip()
        subject = re.sub(r"[\t\r\n]", " ", subject)
        self.file.write(f"{arrived:.6f}\t{len(raw)}\t{message_id}\t{subject}\n")
        return "250 2.0.0 Ok"


def write(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        # handled=False: aiosmtpd answers "535 5.7.8 ..." itself on failure.
        return AuthResult(success=ok, handled=False)
    return check


async def serve(args):
    # aiosmtpd warns on every connection that AUTH without TLS is unsafe; a test knows.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    if args.sink:
        handler = SinkHandler(args.sink)
    else:
        os.makedirs(args.out, exist_ok=True)
        handler = Handler(args.out, args.refuse, args.refuse_only, args.hold)
    tls = None
    if args.starttls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.starttls_cert, args.starttls_key)
    kwargs = {"hostname": "smtp-test.localhost", "auth_require_tls": False}
    if tls is not None and not args.implicit_tls:
        kwargs.update(tls_context=tls, require_starttls=True)
    if args.auth:
        user, _, password = args.auth.partition(":")
        kwargs.update(authenticator=authenticator(user, password), auth_required=True)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, loop=loop, **kwargs), host="127.0.0.1", port=args.port,
        ssl=tls if args.implicit_tls else None, reuse_address=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"READY {server.sockets[0].getsockname()[1]}", flush=True)
    await stop.wait()
    server.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--out")
    parser.add_argument("--starttls-cert")
    parser.add_argument("--starttls-key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth")
    parser.add_argument("--refuse", type=int)
    parser.add_argument("--refuse-only")
    parser.add_argument("--hold")
    parser.add_argument("--sink")
    args = parser.parse_args()
    if not args.out and not args.sink:
        parser.error("the following arguments are required: --out")
    if args.sink and (args.out or args.refuse):
        parser.error("--sink takes neither --out nor --refuse")
    if bool(args.starttls_cert) != bool(args.starttls_key):
        parser.error("--starttls-cert and --starttls-key go together")
    if args.implicit_tls and not args.starttls_cert:
        parser.error("--implicit-tls needs --starttls-cert and --starttls-key")
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())

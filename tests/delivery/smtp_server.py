"""A real SMTP server for the delivery tests, built on aiosmtpd (Debian's python3-aiosmtpd,
hence /usr/bin/python3).

    /usr/bin/python3 smtp_server.py FOLDER [--idle-timeout SECONDS] [--no-plain] [--pipelining] [--no-save]

Listens on 127.0.0.1 on two free ports: one plain with STARTTLS, one with implicit TLS,
both with a self-signed certificate made here with the openssl command. AUTH (PLAIN and
LOGIN, or LOGIN only with --no-plain) accepts the user "mailer" with the password
"s3cret pass", and only over TLS on the STARTTLS port. Recipients whose local part starts
with "reject" are refused with 550, "later" with 451; "greylist" with 451 the first time
the server sees the address, accepted afterwards (as a greylisting server does), and
"slowdown" the same way with 421 "slow down" (a rate limit), "ratelimit" with 451 4.7.28
"rate limited" (Gmail's rate limit) the first time, "busy" always with 451 4.1.1 "mailbox
busy" (the address in the text, whatever letters it holds, says nothing of a rate); a message
with a recipient starting with "vanish" is saved, then the connection is dropped without an
answer. A sender whose local part starts with "refused" is refused at MAIL FROM with 553.
aiosmtpd reads
commands in order, so --pipelining only announces PIPELINING (RFC 2920) in the EHLO reply.

Writes into FOLDER:
    ports                  "SMTP_PORT TLS_PORT", once both listen
    connections            the number of connections accepted so far
    refusals               one line per refused RCPT TO: "CODE ADDRESS"
    received/NNNNNN.eml    each message's bytes as received (dot-unstuffed)
    received/NNNNNN.json   its envelope, and what Python's email package makes of it
    server.log             aiosmtpd's log
Files appear whole (written aside, then renamed). --no-save counts messages without saving
them (for throughput measurements).
"""

import argparse
import asyncio
import email
import email.policy
import itertools
import json
import logging
import os
import ssl
import subprocess
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

USER = b"mailer"
PASSWORD = b"s3cret pass"


def write_whole(path, data):
    temporary = path + ".tmp"
    with open(temporary, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


def make_certificate(folder):
    key = os.path.join(folder, "key.pem")
    cert = os.path.join(folder, "cert.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


class Counter:
    def __init__(self, folder):
        self.folder = folder
        self.connections = 0

    def connected(self):
        self.connections += 1
        write_whole(os.path.join(self.folder, "connections"), str(self.connections).encode())


class CountingSMTP(SMTP):
    """Counts TCP connections (not the second connection_made() that STARTTLS causes)."""

    counter = None

    def connection_made(self, transport):
        if self._original_transport is None:
            CountingSMTP.counter.connected()
        super().connection_made(transport)


def local_part(address):
    return address.split("@", 1)[0].lower()


class Handler:
    def __init__(self, folder, save, pipelining):
        self.folder = os.path.join(folder, "received")
        os.makedirs(self.folder, exist_ok=True)
        self.numbers = itertools.count(1)
        self.save = save
        self.pipelining = pipelining
        self.root = folder
        self.greylisted = set()
        self.refusals = []

    def refuse(self, code, address, text):
        self.refusals.append("%d %s\n" % (code, address))
        write_whole(os.path.join(self.root, "refusals"), "".join(self.refusals).encode())
        return "%d %s" % (code, text)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname  # aiosmtpd leaves it to the hook
        if self.pipelining:
            responses.insert(1, "250-PIPELINING")
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if local_part(address).startswith("refused"):
            return "553 5.7.1 <%s>: sender address rejected" % address
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = local_part(address)
        if local.startswith("reject"):
            return self.refuse(550, address, "5.1.1 <%s>: mailbox unavailable" % address)
        if local.startswith("later"):
            return self.refuse(451, address, "4.7.1 <%s>: greylisted, try again later" % address)
        if local.startswith("slowdown") and address.lower() not in self.greylisted:
            self.greylisted.add(address.lower())
            return self.refuse(421, address, "4.7.0 too many messages from you, slow down")
        if local.startswith("ratelimit") and address.lower() not in self.greylisted:
            self.greylisted.add(address.lower())
            return self.refuse(451, address, "4.7.28 rate limited")
        if local.startswith("busy"):
            return self.refuse(451, address, "4.1.1 <%s>: mailbox busy" % address)
        if local.startswith("greylist") and address.lower() not in self.greylisted:
            self.greylisted.add(address.lower())
            return self.refuse(451, address, "4.7.1 <%s>: greylisted, try again later" % address)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        number = next(self.numbers)
        if self.save:
            content = envelope.original_content
            message = email.message_from_bytes(content, policy=email.policy.default)
            defects = [type(d).__name__ for part in message.walk() for d in part.defects]
            body = message.get_body(("plain",))
            info = {
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "subject": str(message["subject"]),
                "from": str(message["from"]),
                "defects": defects,
                "text": body.get_content() if body is not None else None,
                "tls": server.transport.get_extra_info("ssl_object") is not None,
                "login": getattr(session, "user", None),
                "mechanism": getattr(session, "mechanism", None),
            }
            base = os.path.join(self.folder, "%06d" % number)
            write_whole(base + ".json", json.dumps(info).encode())
            write_whole(base + ".eml", content)
        if any(local_part(r).startswith("vanish") for r in envelope.rcpt_tos):
            server.transport.abort()
        return "250 2.0.0 Ok: queued as %d" % number


def authenticator(server, session, envelope, mechanism, auth_data):
    session.mechanism = mechanism
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER and auth_data.password == PASSWORD
    if ok:
        session.user = auth_data.login.decode()
    return AuthResult(success=ok, handled=False)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--idle-timeout", type=float, default=300)
    parser.add_argument("--no-plain", action="store_true")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--pipelining", action="store_true")
    options = parser.parse_args()
    folder = options.folder
    os.makedirs(folder, exist_ok=True)
    log = open(os.path.join(folder, "server.log"), "a")
    sys.stderr = log
    logging.basicConfig(stream=log, level=logging.INFO)

    tls_context = make_certificate(folder)
    CountingSMTP.counter = Counter(folder)
    handler = Handler(folder, not options.no_save, options.pipelining)
    excluded = ["PLAIN"] if options.no_plain else []

    def protocol(implicit_tls):
        return lambda: CountingSMTP(
            handler, hostname="mx.test", timeout=options.idle_timeout,
            tls_context=None if implicit_tls else tls_context, require_starttls=False,
            authenticator=authenticator, auth_require_tls=not implicit_tls,
            auth_exclude_mechanism=excluded, data_size_limit=64 * 1024 * 1024)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    plain = loop.run_until_complete(loop.create_server(protocol(False), host="127.0.0.1", port=0))
    implicit = loop.run_until_complete(
        loop.create_server(protocol(True), host="127.0.0.1", port=0, ssl=tls_context))
    ports = "%d %d\n" % (plain.sockets[0].getsockname()[1], implicit.sockets[0].getsockname()[1])
    write_whole(os.path.join(folder, "ports"), ports.encode())
    loop.run_forever()


if __name__ == "__main__":
    main()

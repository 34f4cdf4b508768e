#!/usr/bin/python3
"""Verifies every DKIM signature of a message with python3-dkim, asking the test's own DNS
server (a dnsmasq on a loopback port) for the keys, never the system's resolver.

    /usr/bin/python3 verify_dkim.py MESSAGE.eml DNS_PORT

Prints one line per signature ("d=... s=... a=...: pass" or "fail") and exits 0 when there is at
least one signature and all pass.
"""
import re
import sys

import dkim
import dns.resolver

message_file, port = sys.argv[1], int(sys.argv[2])
with open(message_file, "rb") as f:
    message = f.read()

resolver = dns.resolver.Resolver(configure=False)
resolver.nameservers = ["127.0.0.1"]
resolver.port = port


def dnsfunc(name, timeout=5):
    name = name.decode("ascii") if isinstance(name, bytes) else name
    try:
        answer = resolver.resolve(name.rstrip("."), "TXT", lifetime=timeout)
    except Exception:
        return None
    for record in answer:
        return b"".join(record.strings)
    return None


checker = dkim.DKIM(message)
count = len(re.findall(rb"(?mi)^DKIM-Signature:", message.split(b"\r\n\r\n", 1)[0].replace(b"\n\n", b"\r\n\r\n")))
if count == 0:
    print("no DKIM-Signature header")
    sys.exit(1)
failed = 0
for index in range(count):
    ok = checker.verify(idx=index, dnsfunc=dnsfunc)
    signature = dict(checker.signature_fields) if checker.signature_fields else {}
    fields = " ".join(f"{k.decode()}={signature.get(k, b'?').decode()}" for k in (b"d", b"s", b"a"))
    print(f"{fields}: {'pass' if ok else 'fail'}")
    failed += 0 if ok else 1
sys.exit(1 if failed else 0)

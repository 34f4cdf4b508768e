#!/usr/bin/python3
"""Verifies the DKIM signature of a message crmhost sent, with python3-dkim (tests/http/CampaignFlowTest).

Usage: check_sent_dkim.py MESSAGE PUBLIC_KEY_PEM DOMAIN SELECTOR. MESSAGE is an outbox file (its
Return-Path and X-Outbox-Envelope-To lines, added by the outbox, are dropped first: a mail
server adds such lines after the signature too). The DNS TXT record is built from the public
key. The signature must verify, cover the List-Unsubscribe headers, and fail once the body
is changed. Prints what it found; exits 1 when something is wrong.
"""
import base64
import re
import sys

import dkim

message_path, key_path, domain, selector = sys.argv[1:5]
with open(message_path, "rb") as f:
    message = f.read()
message = re.sub(rb"\A(Return-Path: [^\r]*\r\n)?(X-Outbox-Envelope-To: [^\r]*\r\n([ \t][^\r]*\r\n)*)?", b"",
                 message, count=1)
with open(key_path, "r", encoding="ascii") as f:
    der = base64.b64decode("".join(line for line in f.read().splitlines() if not line.startswith("-----")))
txt = b"v=DKIM1; k=rsa; p=" + base64.b64encode(der)
wanted = f"{selector}._domainkey.{domain}"
failures = []


def dnsfunc(name, timeout=5):
    looked_up = name.decode("ascii").rstrip(".")
    if looked_up != wanted:
        failures.append(f"looked up {looked_up}, not {wanted}")
    return txt


header_end = message.index(b"\r\n\r\n") + 4
signature = re.search(rb"\r?\nDKIM-Signature:([^\r]*(\r\n[ \t][^\r]*)*)", b"\r\n" + message[:header_end])
if not signature:
    failures.append("no DKIM-Signature header")
else:
    fields = re.sub(rb"\s+", b"", signature.group(1)).decode("ascii")
    signed = next((f[2:] for f in fields.split(";") if f.startswith("h=")), "").lower().split(":")
    for header in ("from", "subject", "list-unsubscribe", "list-unsubscribe-post"):
        if header not in signed:
            failures.append(f"{header} is not signed (h={':'.join(signed)})")
    if f"d={domain}" not in fields.split(";") or f"s={selector}" not in fields.split(";"):
        failures.append(f"not signed as d={domain}, s={selector}: {fields}")
    if not dkim.verify(message, dnsfunc=dnsfunc):
        failures.append("the signature does not verify")
    if dkim.verify(message + b"Un ajout en fin de message.\r\n", dnsfunc=dnsfunc):
        failures.append("a changed body still verifies")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("the sent message's DKIM signature verifies and covers List-Unsubscribe")

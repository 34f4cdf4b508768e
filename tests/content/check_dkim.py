#!/usr/bin/python3
"""Verifies the DKIM signatures of the samples written by content_sample with python3-dkim.

Usage: check_dkim.py <samples folder>. The DNS TXT records are built here from the public
keys (and compared with DkimSigner::dnsRecord()); a message whose body or signed header
was changed must fail verification.
"""
import base64
import os
import re
import sys

import dkim

folder = sys.argv[1]
failures = []


def read(name):
    with open(os.path.join(folder, name), "rb") as f:
        return f.read()


def check(condition, message):
    if not condition:
        failures.append(message)


def record(kind):
    pem = read(f"{kind}.pub.pem").decode("ascii")
    der = base64.b64decode("".join(line for line in pem.splitlines() if not line.startswith("-----")))
    # RSA: the SubjectPublicKeyInfo itself; Ed25519 (RFC 8463): the raw 32-byte key, the
    # end of its SubjectPublicKeyInfo.
    key = der[-32:] if kind == "ed25519" else der
    return f"v=DKIM1; k={kind}; p={base64.b64encode(key).decode('ascii')}".encode("ascii")


for kind in ("rsa", "ed25519"):
    name = f"{kind}.eml"
    message = read(name)
    txt = record(kind)
    check(txt == read(f"{kind}.dns.txt").strip(), f"{kind}: DkimSigner::dnsRecord() differs from the public key")
    selector = f"mm-{kind}._domainkey.amap-capucins.example"

    def dnsfunc(domain, timeout=5, txt=txt, selector=selector):
        looked_up = domain.decode("ascii").rstrip(".")
        check(looked_up == selector, f"{kind}: looked up {looked_up}, not {selector}")
        return txt

    algorithm = b"a=rsa-sha256;" if kind == "rsa" else b"a=ed25519-sha256;"
    check(algorithm in message[: message.index(b"\r\n\r\n")], f"{name}: not signed with {algorithm.decode()}")
    check(dkim.verify(message, dnsfunc=dnsfunc), f"{name}: the signature does not verify")

    header_end = message.index(b"\r\n\r\n") + 4
    body = bytearray(message[header_end:])
    position = body.index(b"paniers")
    body[position] = ord("P")
    check(not dkim.verify(message[:header_end] + bytes(body), dnsfunc=dnsfunc),
          f"{name}: a changed body still verifies")
    changed_subject = re.sub(rb"\r\nSubject: [^\r]*(\r\n[ \t][^\r]*)*", b"\r\nSubject: Paniers offerts !", message, count=1)
    check(changed_subject != message, f"{name}: no Subject header to change")
    check(not dkim.verify(changed_subject, dnsfunc=dnsfunc), f"{name}: a changed subject still verifies")
    # Relaxed canonicalisation: re-folding a header or adding spaces at line ends is harmless.
    refolded = message.replace(b"\r\nMIME-Version: 1.0\r\n", b"\r\nMIME-Version:   1.0  \r\n", 1)
    check(dkim.verify(refolded, dnsfunc=dnsfunc), f"{name}: relaxed canonicalisation not honoured")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("RSA-SHA256 and Ed25519-SHA256 signatures verify; tampered messages do not")

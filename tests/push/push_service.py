"""A push service stand-in for the push tests (RFC 8030 on loopback), with Debian's
python3-cryptography (hence /usr/bin/python3).

    /usr/bin/python3 push_service.py FOLDER VAPID_PUBLIC_KEY [--tls]

Listens on 127.0.0.1 on a free port, written to FOLDER/port once it listens; with --tls over
HTTPS, with a self-signed certificate made here with the openssl command (endpoints https://).

    POST /subscribe?mode=M   makes a subscription as a browser would: a new P-256 key pair and
                             auth secret whose private halves stay here; answers
                             {"endpoint", "keys": {"p256dh", "auth"}}, the endpoint /push/ID
    POST /push/ID            a message: decrypted (RFC 8291 aes128gcm) with that subscription's
                             keys, its VAPID token checked (RFC 8292: ES256 under k=, which must
                             be VAPID_PUBLIC_KEY; aud the origin; exp within 24 h); then answered
                             by the subscription's mode:
                               ok      201
                               gone    410
                               busy    429 with Retry-After: 2 the first two times, then 201
                               down    503 always (no Retry-After)
                               refuse  400
Each message is saved as FOLDER/received/NNNNNN.json (written aside, then renamed):
{"subscription", "status", "ttl", "urgency", "content_encoding", "content_type", "plaintext",
"decrypt_error", "vapid_ok", "vapid_error", "aud", "sub", "exp"}.
"""

import base64
import http.server
import itertools
import json
import os
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hmac_sha256(key, data):
    h = hmac.HMAC(key, hashes.SHA256())
    h.update(data)
    return h.finalize()


def public_bytes(key):
    return key.public_key().public_bytes(serialization.Encoding.X962,
                                         serialization.PublicFormat.UncompressedPoint)


def decrypt(body, private_key, auth_secret):
    """RFC 8291 section 3.4 and RFC 8188, from the receiving side."""
    salt, record_size, id_length = body[:16], int.from_bytes(body[16:20], "big"), body[20]
    server_public = body[21:21 + id_length]
    ciphertext = body[21 + id_length:]
    if record_size < 18 or len(ciphertext) > record_size:
        raise ValueError("record size %d for %d bytes" % (record_size, len(ciphertext)))
    peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), server_public)
    shared = private_key.exchange(ec.ECDH(), peer)
    prk_key = hmac_sha256(auth_secret, shared)
    ikm = hmac_sha256(prk_key, b"WebPush: info\x00" + public_bytes(private_key) + server_public + b"\x01")
    prk = hmac_sha256(salt, ikm)
    cek = hmac_sha256(prk, b"Content-Encoding: aes128gcm\x00\x01")[:16]
    nonce = hmac_sha256(prk, b"Content-Encoding: nonce\x00\x01")[:12]
    record = AESGCM(cek).decrypt(nonce, ciphertext, None)
    plain = record.rstrip(b"\x00")
    if not plain.endswith(b"\x02"):
        raise ValueError("no last-record delimiter 0x02")
    return plain[:-1].decode("utf-8")


def check_vapid(header, expected_key, origin):
    """Returns (claims, error): error is "" when the token is right."""
    if not header.startswith("vapid "):
        return {}, "Authorization is not vapid: " + header[:40]
    params = {}
    for part in header[len("vapid "):].split(","):
        name, _, value = part.strip().partition("=")
        params[name] = value
    token, key = params.get("t", ""), params.get("k", "")
    if key != expected_key:
        return {}, "k= is not the host's VAPID public key"
    head, claims_text, signature = token.split(".")
    header_json = json.loads(unb64url(head))
    if header_json.get("alg") != "ES256":
        return {}, "alg is not ES256"
    claims = json.loads(unb64url(claims_text))
    raw = unb64url(signature)
    if len(raw) != 64:
        return claims, "the signature is not R||S (64 bytes) but %d bytes" % len(raw)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    try:
        public.verify(encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
                      (head + "." + claims_text).encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return claims, "bad signature"
    if claims.get("aud") != origin:
        return claims, "aud %r is not %r" % (claims.get("aud"), origin)
    if not (time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600):
        return claims, "exp out of range"
    return claims, ""


class State:
    def __init__(self, folder, vapid_key):
        self.folder = folder
        self.vapid_key = vapid_key
        self.lock = threading.Lock()
        self.subscriptions = {}
        self.ids = itertools.count(1)
        self.numbers = itertools.count(1)


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        with open(os.path.join(self.server.state.folder, "server.log"), "a") as log:
            log.write(format % args + "\n")

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        state = self.server.state
        url = urllib.parse.urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if url.path == "/subscribe":
            mode = urllib.parse.parse_qs(url.query).get("mode", ["ok"])[0]
            key = ec.generate_private_key(ec.SECP256R1())
            auth = os.urandom(16)
            with state.lock:
                ident = str(next(state.ids))
                state.subscriptions[ident] = {"key": key, "auth": auth, "mode": mode, "count": 0}
            host, port = self.server.server_address[:2]
            out = {"endpoint": "%s://%s:%d/push/%s" % (self.server.scheme, host, port, ident),
                   "keys": {"p256dh": b64url(public_bytes(key)), "auth": b64url(auth)}}
            return self.answer(201, json.dumps(out).encode(), [("Content-Type", "application/json")])
        if not url.path.startswith("/push/"):
            return self.answer(404)
        ident = url.path[len("/push/"):]
        with state.lock:
            subscription = state.subscriptions.get(ident)
            if subscription:
                subscription["count"] += 1
                count = subscription["count"]
            number = next(state.numbers)
        record = {"subscription": ident, "ttl": self.headers.get("TTL"), "urgency": self.headers.get("Urgency"),
                  "content_encoding": self.headers.get("Content-Encoding"),
                  "content_type": self.headers.get("Content-Type"), "plaintext": None, "decrypt_error": "",
                  "vapid_ok": False, "vapid_error": ""}
        status, headers = 404, []
        if subscription:
            try:
                record["plaintext"] = decrypt(body, subscription["key"], subscription["auth"])
            except (ValueError, InvalidTag, IndexError) as error:
                record["decrypt_error"] = repr(error)
            host, port = self.server.server_address[:2]
            claims, error = check_vapid(self.headers.get("Authorization", ""), state.vapid_key,
                                        "%s://%s:%d" % (self.server.scheme, host, port))
            record.update({"vapid_ok": error == "", "vapid_error": error, "aud": claims.get("aud"),
                           "sub": claims.get("sub"), "exp": claims.get("exp")})
            mode = subscription["mode"]
            if mode == "gone":
                status = 410
            elif mode == "busy" and count <= 2:
                status, headers = 429, [("Retry-After", "2")]
            elif mode == "down":
                status = 503
            elif mode == "refuse":
                status = 400
            else:
                status = 201
        record["status"] = status
        received = os.path.join(state.folder, "received")
        os.makedirs(received, exist_ok=True)
        path = os.path.join(received, "%06d.json" % number)
        with open(path + ".tmp", "w") as out:
            json.dump(record, out)
        os.replace(path + ".tmp", path)
        self.answer(status, b"", headers)


def main():
    folder, vapid_key = sys.argv[1], sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.state = State(folder, vapid_key)
    server.scheme = "http"
    if "--tls" in sys.argv[3:]:
        key, cert = os.path.join(folder, "key.pem"), os.path.join(folder, "cert.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1"],
                       check=True, capture_output=True)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        server.scheme = "https"
    with open(os.path.join(folder, "port.tmp"), "w") as out:
        out.write(str(server.server_address[1]))
    os.replace(os.path.join(folder, "port.tmp"), os.path.join(folder, "port"))
    server.serve_forever()


if __name__ == "__main__":
    main()

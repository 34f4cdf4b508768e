"""A stand-in SMS gateway on loopback, for tests/delivery/sms_gateway_test.sh (issue 15): it
checks each request as a provider would, answers like one, then posts delivery reports.

    /usr/bin/python3 sms_gateway.py PORT_FILE RECEIVED_FILE TOKEN SECRET REPORT_URL

POST /send with "Authorization: Bearer TOKEN" and a JSON body {"to", "from", "text",
"reference"}: "to" must be E.164, "text" not empty, "reference" "mm-" and digits. A bad token
answers 401, a malformed request 400 (and is counted in RECEIVED_FILE.errors). An accepted SMS
appends "to<TAB>reference<TAB>id" to RECEIVED_FILE, flushed before the answer 200
{"id": "gw-N", "status": "accepted"} goes out: a line is an SMS the gateway said it took. A
number ending in 13 gets the report "failed" (reason "unknown subscriber"), every other
"delivered". Reports go to REPORT_URL in batches (a JSON array), signed with X-Signature, the
hex HMAC-SHA256 of the body under SECRET; any answer but 200 (or no connection: the host is
restarting) and the batch is posted again later. Every 97th request first answers 503, untaken,
as a provider busy for a moment. Reports posted and accepted are logged to RECEIVED_FILE.reports.
Runs until it is killed.
"""

import hashlib
import hmac
import json
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")
REFERENCE = re.compile(r"^mm-[0-9]+$")


class Gateway:
    def __init__(self, received, token, secret, report_url):
        self.received = received
        self.errors = open(received.name + ".errors", "a", encoding="utf-8")
        self.reported = open(received.name + ".reports", "a", encoding="utf-8")
        self.token, self.secret, self.report_url = token, secret.encode(), report_url
        self.lock = threading.Lock()
        self.pending = []
        self.count = 0
        self.requests = 0

    def error(self, text):
        with self.lock:
            self.errors.write(text + "\n")
            self.errors.flush()

    def accept(self, message):
        with self.lock:
            self.count += 1
            message_id = "gw-%d" % self.count
            self.received.write("%s\t%s\t%s\n" % (message["to"], message["reference"], message_id))
            self.received.flush()
            failed = message["to"].endswith("13")
            self.pending.append({"message_id": message_id, "reference": message["reference"],
                                 "status": "failed" if failed else "delivered",
                                 "reason": "unknown subscriber" if failed else ""})
        return message_id

    def post_reports(self):
        while True:
            time.sleep(0.3)
            with self.lock:
                batch, self.pending = self.pending[:200], self.pending[200:]
            if not batch:
                continue
            body = json.dumps(batch).encode()
            signature = hmac.new(self.secret, body, hashlib.sha256).hexdigest()
            request = urllib.request.Request(self.report_url, data=body, method="POST", headers={
                "Content-Type": "application/json", "X-Signature": signature})
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    status = answer.status
                    text = answer.read().decode()
            except urllib.error.HTTPError as refused:
                status, text = refused.code, refused.read().decode()
            except OSError as error:
                status, text = 0, str(error)
            if status == 200:
                with self.lock:
                    self.reported.write("".join(r["reference"] + "\t" + r["status"] + "\n" for r in batch))
                    self.reported.flush()
                continue
            # Not taken (the host is restarting, or some rows are not recorded yet): all again.
            # A batch that was partly recorded is posted whole again: reports are idempotent.
            with self.lock:
                self.pending = batch + self.pending
            time.sleep(0.5)


def handler(gateway):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            if self.path != "/send":
                return self.answer(404, {"error": "no such path"})
            if self.headers.get("Authorization") != "Bearer " + gateway.token:
                gateway.error("bad authorization: %r" % self.headers.get("Authorization"))
                return self.answer(401, {"error": "bad token"})
            if not self.headers.get("Content-Type", "").startswith("application/json"):
                gateway.error("content type %r" % self.headers.get("Content-Type"))
                return self.answer(400, {"error": "JSON expected"})
            try:
                message = json.loads(raw.decode("utf-8"))
            except ValueError as error:
                gateway.error("not JSON: %s: %r" % (error, raw[:200]))
                return self.answer(400, {"error": "not JSON"})
            problems = []
            if not E164.match(str(message.get("to", ""))):
                problems.append("to %r is not E.164" % message.get("to"))
            if not str(message.get("text", "")).strip():
                problems.append("empty text")
            if not REFERENCE.match(str(message.get("reference", ""))):
                problems.append("reference %r" % message.get("reference"))
            if problems:
                gateway.error("; ".join(problems))
                return self.answer(400, {"error": "; ".join(problems)})
            with gateway.lock:
                gateway.requests += 1
                busy = gateway.requests % 97 == 0
            if busy:
                return self.answer(503, {"error": "busy, try again"})
            message_id = gateway.accept(message)
            self.answer(200, {"id": message_id, "status": "accepted"})

    return Handler


def main():
    port_file, received_file, token, secret, report_url = sys.argv[1:6]
    received = open(received_file, "a", encoding="utf-8")
    gateway = Gateway(received, token, secret, report_url)
    threading.Thread(target=gateway.post_reports, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(gateway))
    with open(port_file + ".tmp", "w", encoding="ascii") as out:
        out.write(str(server.server_address[1]))
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()

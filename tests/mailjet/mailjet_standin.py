#!/usr/bin/python3
"""A stand-in for Mailjet's API on 127.0.0.1, following its documented shapes, for the tests.

    mailjet_standin.py FOLDER [--key KEY --secret SECRET]

Writes its port to FOLDER/port once it listens, its log to FOLDER/standin.log.

Mailjet's endpoints (Basic authentication KEY:SECRET, else 401 as Mailjet answers it):
- POST /v3.1/send {"Messages": [...]}: 1 to 50 messages, each with From.Email, To[].Email,
  Subject and TextPart or HTMLPart; SandboxMode refused. Each message's Status is "success"
  (with To[].MessageID, MessageUUID) or "error" with its Errors (ErrorIdentifier, ErrorCode,
  StatusCode, ErrorMessage, ErrorRelatedTo). A recipient whose local part starts with "reject"
  is refused (mj-0013, as an invalid address). Any error: HTTP 400, else 200.
- GET /v3/REST/message?CustomID=X: {"Count", "Data": [{"ID", "CustomID", "Status"}], "Total"}.
- GET /v3/REST/apikey: the key's record (the settings screen's connection test).

Its own endpoints (no authentication), for the tests:
- POST /_control {"fail": [429, 500], "drop": "after"|"before", "drop_calls": N, "delay": S}:
  the next calls of /v3.1/send answer these statuses one each; "drop": the next N calls
  (default 1) are read, their messages accepted ("after") or not ("before"), and the
  connection closed without an answer (a lost answer); "delay": seconds to wait before
  answering each send.
- GET /_state: {"calls": [messages per call of /v3.1/send, failed or not], "accepted":
  {CustomID: times}, "messages": [each accepted message, with its MessageID], "lost": N}.
- POST /_events {"url": WEBHOOK, "user", "password", "grouped": bool, "events": [{"event",
  "CustomID", ...}]}: fills each event from the accepted message of its CustomID (MessageID,
  Message_GUID, email, time, mj_campaign_id, mj_contact_id, customcampaign, Payload) and posts
  them to the webhook as Mailjet does: one array when grouped, else one object per call.
  Answers {"statuses": [HTTP status of each post]}.
"""

import base64
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

FOLDER = sys.argv[1]
KEY = "mj-test-key"
SECRET = "mj-test-secret"
args = sys.argv[2:]
while args:
    if args[0] == "--key":
        KEY = args[1]
    elif args[0] == "--secret":
        SECRET = args[1]
    args = args[2:]

lock = threading.Lock()
state = {"calls": [], "accepted": {}, "messages": [], "lost": 0}
control = {"fail": [], "drop": "", "drop_calls": 0, "delay": 0}
next_id = [100000000000000]


def log(text):
    with open(os.path.join(FOLDER, "standin.log"), "a") as out:
        out.write(time.strftime("%H:%M:%S ") + text + "\n")


def error(code, status, message, related):
    return {"ErrorIdentifier": str(uuid.uuid4()), "ErrorCode": code, "StatusCode": status,
            "ErrorMessage": message, "ErrorRelatedTo": related}


def check_message(message):
    """The errors of one message, as Mailjet reports them."""
    errors = []
    if not isinstance(message, dict):
        return [error("mj-0002", 400, "Message is not an object.", [])]
    if "SandboxMode" in message:
        errors.append(error("mj-0001", 400, "SandboxMode is not used here.", ["SandboxMode"]))
    sender = message.get("From")
    if not isinstance(sender, dict) or "@" not in str(sender.get("Email", "")):
        errors.append(error("mj-0013", 400, "\"From\" is an invalid email address.", ["From.Email"]))
    to = message.get("To")
    if not isinstance(to, list) or not to:
        errors.append(error("mj-0003", 400, "At least \"To\", \"Cc\" or \"Bcc\" must be provided.", ["To"]))
    else:
        for i, person in enumerate(to):
            email = str(person.get("Email", "")) if isinstance(person, dict) else ""
            if "@" not in email or email.split("@")[0].startswith("reject"):
                errors.append(error("mj-0013", 400, "\"%s\" is an invalid email address." % email,
                                    ["To[%d].Email" % i]))
    if not message.get("Subject"):
        errors.append(error("mj-0003", 400, "Missing mandatory property \"Subject\".", ["Subject"]))
    if not message.get("TextPart") and not message.get("HTMLPart"):
        errors.append(error("mj-0003", 400, "At least \"TextPart\" or \"HTMLPart\" must be provided.",
                            ["TextPart"]))
    custom = message.get("CustomID", "")
    if not isinstance(custom, str) or len(custom) > 64:
        errors.append(error("mj-0004", 400, "CustomID must be a string of 64 characters at most.",
                            ["CustomID"]))
    for name, value in (message.get("Headers") or {}).items():
        if name.lower() in ("from", "sender", "subject", "to", "cc", "bcc", "return-path", "delivered-to",
                            "dkim-signature", "domainkey-status", "received-spf", "authentication-results",
                            "received", "x-mailjet-prio", "x-mailjet-debug", "user-agent", "x-mailer",
                            "x-mj-customid", "x-mj-eventpayload", "x-mj-vars", "x-mj-templateerrordeliver",
                            "x-mj-templateerrorreporting", "x-mj-templatelanguage", "x-mj-templateid",
                            "x-mj-workflowid", "content-type", "content-transfer-encoding", "mime-version"):
            errors.append(error("mj-0011", 400, "Header \"%s\" cannot be set." % name, ["Headers"]))
        if not isinstance(value, str):
            errors.append(error("mj-0011", 400, "Header \"%s\" is not a string." % name, ["Headers"]))
    for kind in ("TrackOpens", "TrackClicks"):
        if kind in message and message[kind] not in ("account_default", "disabled", "enabled"):
            errors.append(error("mj-0006", 400, "%s must be account_default, disabled or enabled." % kind, [kind]))
    return errors


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *values):
        log(fmt % values)

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length)

    def authorised(self):
        expected = "Basic " + base64.b64encode(("%s:%s" % (KEY, SECRET)).encode()).decode()
        if self.headers.get("Authorization") == expected:
            return True
        self.answer(401, {"ErrorIdentifier": str(uuid.uuid4()), "ErrorCode": "mj-0001", "StatusCode": 401,
                          "ErrorMessage": "API key authentication/authorization failure. You may be unauthorized "
                                          "to access the API or your API key may be expired. Visit API keys "
                                          "management section to check your keys."})
        return False

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if url.path == "/_state":
            with lock:
                return self.answer(200, state)
        if not self.authorised():
            return
        if url.path == "/v3/REST/apikey":
            return self.answer(200, {"Count": 1, "Total": 1, "Data": [
                {"ID": 1, "APIKey": KEY, "IsActive": True, "IsMaster": True, "Name": "stand-in"}]})
        if url.path == "/v3/REST/message":
            custom = query.get("CustomID", [""])[0]
            with lock:
                found = [m for m in state["messages"] if m.get("CustomID") == custom]
            data = [{"ID": m["MessageID"], "CustomID": custom, "Status": "sent",
                     "ArrivedAt": m["ArrivedAt"]} for m in found]
            return self.answer(200, {"Count": len(data), "Data": data, "Total": len(data)})
        self.answer(404, {"ErrorMessage": "Object not found", "StatusCode": 404})

    def do_POST(self):
        url = urlparse(self.path)
        raw = self.body()
        if url.path == "/_control":
            with lock:
                control.update(json.loads(raw or b"{}"))
                if control.get("drop") and not control.get("drop_calls"):
                    control["drop_calls"] = 1
            return self.answer(200, control)
        if url.path == "/_events":
            return self.answer(200, {"statuses": post_events(json.loads(raw))})
        if not self.authorised():
            return
        if url.path != "/v3.1/send":
            return self.answer(404, {"ErrorMessage": "Object not found", "StatusCode": 404})
        try:
            request = json.loads(raw)
            messages = request["Messages"]
            assert isinstance(messages, list)
        except Exception:
            return self.answer(400, {"ErrorIdentifier": str(uuid.uuid4()), "StatusCode": 400,
                                     "ErrorMessage": "Malformed JSON, please review the syntax and properties types.",
                                     "ErrorCode": "mj-0002"})
        with lock:
            state["calls"].append(len(messages))
            fail = control["fail"].pop(0) if control["fail"] else 0
            drop = control["drop"] if control["drop_calls"] > 0 else ""
            if drop:
                control["drop_calls"] -= 1
                if control["drop_calls"] == 0:
                    control["drop"] = ""
            delay = control.get("delay", 0)
        if fail:
            return self.answer(fail, {"ErrorIdentifier": str(uuid.uuid4()), "StatusCode": fail,
                                      "ErrorMessage": "Too many requests" if fail == 429 else "Internal Server Error"})
        if not 1 <= len(messages) <= 50:
            return self.answer(400, {"ErrorIdentifier": str(uuid.uuid4()), "StatusCode": 400, "ErrorCode": "mj-0015",
                                     "ErrorMessage": "Messages must hold between 1 and 50 messages."})
        if drop == "before":
            with lock:
                state["lost"] += 1
            self.close_connection = True
            self.connection.shutdown(2)
            return
        results, failed = [], False
        for message in messages:
            errors = check_message(message)
            if errors:
                failed = True
                results.append({"Status": "error", "Errors": errors})
                continue
            to = []
            with lock:
                for person in message["To"]:
                    next_id[0] += 1
                    record = dict(message)
                    record.update({"MessageID": next_id[0], "MessageUUID": str(uuid.uuid4()), "Email": person["Email"],
                                   "ArrivedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
                    record.pop("Attachments", None)
                    record.pop("InlinedAttachments", None)
                    record["AttachmentNames"] = [a.get("Filename") for a in message.get("Attachments") or []]
                    state["messages"].append(record)
                    custom = message.get("CustomID", "")
                    state["accepted"][custom] = state["accepted"].get(custom, 0) + 1
                    to.append({"Email": person["Email"], "MessageUUID": record["MessageUUID"],
                               "MessageID": record["MessageID"],
                               "MessageHref": "https://api.mailjet.com/v3/REST/message/%d" % record["MessageID"]})
            result = {"Status": "success", "To": to, "Cc": [], "Bcc": []}
            if message.get("CustomID"):
                result["CustomID"] = message["CustomID"]
            results.append(result)
        if drop == "after":
            with lock:
                state["lost"] += 1
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if delay:
            time.sleep(delay)
        self.answer(400 if failed else 200, {"Messages": results})


def post_events(order):
    """Posts events to the webhook as Mailjet does, filled from the accepted messages."""
    with lock:
        by_custom = {m.get("CustomID"): m for m in state["messages"]}
    events = []
    for wanted in order["events"]:
        event = dict(wanted)
        message = by_custom.get(str(event.get("CustomID", "")))
        if message:
            event.setdefault("MessageID", message["MessageID"])
            event.setdefault("Message_GUID", message["MessageUUID"])
            event.setdefault("email", message["Email"])
        event.setdefault("time", int(time.time()))
        event.setdefault("mj_campaign_id", 7257)
        event.setdefault("mj_contact_id", 4)
        event.setdefault("customcampaign", "")
        event.setdefault("Payload", "")
        events.append(event)
    bodies = [events] if order.get("grouped") else events
    statuses = []
    for body in bodies:
        request = urllib.request.Request(order["url"], data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        if order.get("user") is not None:
            credentials = "%s:%s" % (order["user"], order.get("password", ""))
            request.add_header("Authorization", "Basic " + base64.b64encode(credentials.encode()).decode())
        try:
            with urllib.request.urlopen(request, timeout=20) as reply:
                statuses.append(reply.status)
        except urllib.error.HTTPError as refused:
            statuses.append(refused.code)
    return statuses


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(os.path.join(FOLDER, "port.tmp"), "w") as out:
    out.write(str(server.server_address[1]))
os.rename(os.path.join(FOLDER, "port.tmp"), os.path.join(FOLDER, "port"))
log("listening on %d" % server.server_address[1])
server.serve_forever()

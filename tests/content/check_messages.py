#!/usr/bin/python3
"""Checks the sample messages written by content_sample with Python's email package.

Usage: check_messages.py <samples folder>. Exits non-zero, listing what is wrong, when a
message does not parse to what was put in it.
"""
import email.policy
import os
import re
import sys
from email.parser import BytesParser

folder = sys.argv[1]
failures = []


def expected(name, binary=False):
    with open(os.path.join(folder, "expected", name), "rb") as f:
        data = f.read()
    return data if binary else data.decode("utf-8")


def check(condition, message):
    if not condition:
        failures.append(message)


def normalised(text):
    return text.replace("\r\n", "\n")


def check_lines(name, raw):
    check(b"\n" not in raw.replace(b"\r\n", b"") and b"\r" not in raw.replace(b"\r\n", b""),
          f"{name}: a line ends with a lone CR or LF")
    lines = raw.split(b"\r\n")
    longest = max(len(line) for line in lines)
    check(longest <= 998, f"{name}: a line has {longest} characters (998 at most)")
    # Every header line, of the message and of its parts, is folded to 78 characters, and
    # quoted-printable and base64 lines are at most 76: no line of these samples exceeds 78.
    for number, line in enumerate(lines, 1):
        check(len(line) <= 78, f"{name}:{number}: {len(line)} characters: {line[:90]!r}")
    header = raw[: raw.index(b"\r\n\r\n")]
    check(all(byte < 0x80 for byte in header), f"{name}: the header is not ASCII")


def check_message(name, structure):
    with open(os.path.join(folder, name), "rb") as f:
        raw = f.read()
    check_lines(name, raw)
    message = BytesParser(policy=email.policy.default).parsebytes(raw)

    for part in message.walk():
        check(not part.defects, f"{name}: {part.get_content_type()} has defects {part.defects}")
    check(message.get_content_type() == structure, f"{name}: top level is {message.get_content_type()}, not {structure}")

    check(str(message["Subject"]) == expected("subject.txt"), f"{name}: subject is {str(message['Subject'])!r}")
    sender = message["From"].addresses[0]
    check(sender.display_name == expected("from_name.txt"), f"{name}: sender name is {sender.display_name!r}")
    check(sender.addr_spec == "helene@amap-capucins.example", f"{name}: sender address is {sender.addr_spec!r}")
    recipient = message["To"].addresses[0]
    check(recipient.display_name == expected("to_name.txt"), f"{name}: recipient name is {recipient.display_name!r}")
    check(recipient.addr_spec == "jerome.dupont@example.org", f"{name}: recipient is {recipient.addr_spec!r}")
    reply_to = message["Reply-To"].addresses[0]
    check(reply_to.display_name == expected("reply_to_name.txt"), f"{name}: reply-to name is {reply_to.display_name!r}")

    check(re.fullmatch(r"<[0-9a-f]{32}@amap-capucins\.example>", str(message["Message-ID"])) is not None,
          f"{name}: Message-ID is {message['Message-ID']}")
    check(message["Date"] is not None and message["Date"].datetime is not None, f"{name}: no valid Date")
    check(str(message["MIME-Version"]) == "1.0", f"{name}: MIME-Version is {message['MIME-Version']}")
    check(str(message["List-Unsubscribe"]) == expected("list_unsubscribe.txt"),
          f"{name}: List-Unsubscribe is {message['List-Unsubscribe']!r}")
    check(str(message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click",
          f"{name}: List-Unsubscribe-Post is {message['List-Unsubscribe-Post']!r}")
    check(str(message["Feedback-ID"]) == expected("feedback_id.txt"), f"{name}: Feedback-ID is {message['Feedback-ID']!r}")

    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    check(text is not None and normalised(text.get_content()) == expected("text.txt"),
          f"{name}: the text/plain part does not decode to the text alternative")
    check(html is not None and normalised(html.get_content()) == expected("html.html"),
          f"{name}: the text/html part does not decode to the HTML")
    if text is not None:
        check(text.get_content_charset() == "utf-8", f"{name}: text charset is {text.get_content_charset()}")
        check(text["Content-Transfer-Encoding"] == "quoted-printable", f"{name}: text is not quoted-printable")

    images = [part for part in message.walk() if part["Content-ID"] == "<logo@amap-capucins.example>"]
    if structure in ("multipart/related", "multipart/mixed"):
        check(len(images) == 1 and images[0].get_content() == expected("logo.png", True),
              f"{name}: the inline image is missing or altered")
        check("cid:logo@amap-capucins.example" in html.get_content(), f"{name}: the HTML does not refer to the image")
    else:
        check(not images, f"{name}: an inline image where none was put")

    attachments = [part for part in message.iter_attachments() if part.get_content_disposition() == "attachment"]
    if structure == "multipart/mixed":
        check(len(attachments) == 1, f"{name}: {len(attachments)} attachments")
        if attachments:
            attachment = attachments[0]
            check(attachment.get_filename() == expected("attachment_name.txt"),
                  f"{name}: attachment name is {attachment.get_filename()!r}")
            data = attachment.get_content()
            check(data == expected("attachment.bin", True),
                  f"{name}: the attachment is not identical byte for byte ({len(data)} bytes)")
            check(len(set(data)) == 256, f"{name}: the attachment does not hold every byte value")
    else:
        check(not attachments, f"{name}: attachments where none were put")


check_message("plain.eml", "multipart/alternative")
check_message("inline.eml", "multipart/related")
check_message("full.eml", "multipart/mixed")
check_message("rsa.eml", "multipart/mixed")
check_message("ed25519.eml", "multipart/mixed")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("5 sample messages parse to what was put in them")

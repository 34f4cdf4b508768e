#!/usr/bin/python3
"""Reads the results CSV of tests/tracking/ResultsFixture with Python's csv module, as a
spreadsheet or a script of the user would, and checks what the fixture wrote comes back.

Usage: check_results_csv.py FILE. Exit 0 when every check holds; else prints what differs."""
import csv
import io
import sys

HEADER = ["address", "first_name", "last_name", "status", "reason", "detail", "bounce", "bounce_text",
          "sent_at", "first_open_at", "opens", "machine_opens", "first_click_at", "clicks", "machine_clicks",
          "unsubscribed_at", "complained_at"]

problems = []


def expect(what, found, wanted):
    if found != wanted:
        problems.append(f"{what}: found {found!r}, wanted {wanted!r}")


with open(sys.argv[1], newline="", encoding="utf-8") as f:
    raw = f.read()
expect("line ends", raw.count("\r\n") >= 13, True)
rows = list(csv.reader(io.StringIO(raw, newline="")))
expect("header", rows[0], HEADER)
body = [dict(zip(HEADER, row)) for row in rows[1:]]
expect("rows", len(body), 12)
for row in rows[1:]:
    expect(f"cells of {row[:1]}", len(row), len(HEADER))
by = {row["address"]: row for row in body}

anne = by["anne@example.org"]
expect("anne", (anne["status"], anne["opens"], anne["clicks"], anne["first_open_at"]),
       ("sent", "3", "2", "2001-11-02 09:20:00"))
chloe = by["chloe@gmail.com"]
expect("chloé's names", (chloe["first_name"], chloe["last_name"]), ('Chloé "Coco"', "O'Hara\nLignée 2"))
expect("chloé machine opens", (chloe["opens"], chloe["machine_opens"], chloe["machine_clicks"]), ("0", "2", "1"))
dan = by["dan@gmail.com"]
expect("dan's formula is defused", dan["last_name"], "'=HYPERLINK(\"http://evil.example\")")
expect("dan's bounce", (dan["status"], dan["bounce"]), ("bounced", "hard"))
expect("dan's bounce text", dan["bounce_text"], '550 5.1.1 <dan@gmail.com>: user unknown,\r\n"no such" mailbox')
expect("eve", (by["eve@yahoo.fr"]["first_name"], by["eve@yahoo.fr"]["bounce"]), ("Ève", "soft"))
expect("fay's phone is text", by["fay@example.org"]["last_name"], "'+33 6 12 34 56 78")
expect("fay unsubscribed", by["fay@example.org"]["unsubscribed_at"], "2001-11-02 11:00:00")
expect("gus complained", (by["gus@example.org"]["last_name"], by["gus@example.org"]["complained_at"]),
       ("'@gus", "2001-11-02 12:30:00"))
expect("hal's detail", (by["hal@orange.fr"]["status"], by["hal@orange.fr"]["detail"]), ("failed", "'=cmd|' /C calc'!A0"))
expect("ivy", (by["ivy@example.org"]["status"], by["ivy@example.org"]["reason"]), ("left_out", "control_group"))
expect("lee's address", "'-lee@example.net" in by, True)

if problems:
    print("\n".join(problems))
    sys.exit(1)
print("ok: %d rows" % len(body))

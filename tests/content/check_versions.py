#!/usr/bin/python3
"""Checks messages of a campaign's language versions with Python's email package.

Usage: check_versions.py (FILE SUBJECT WORDS)... Each FILE must parse, have the subject
SUBJECT once decoded, and both its HTML and its plain-text parts must contain WORDS.
Exits non-zero, saying what is wrong, otherwise.
"""
import email.policy
import sys
from email.parser import BytesParser

failures = []
arguments = sys.argv[1:]
for at in range(0, len(arguments), 3):
    path, subject, words = arguments[at:at + 3]
    with open(path, "rb") as f:
        message = BytesParser(policy=email.policy.default).parse(f)
    if message["Subject"] != subject:
        failures.append(f"{path}: subject {message['Subject']!r}, expected {subject!r}")
    for kind in ("html", "plain"):
        part = message.get_body(preferencelist=(kind,))
        if part is None:
            failures.append(f"{path}: no text/{kind} part")
        elif words not in part.get_content():
            failures.append(f"{path}: {words!r} is not in the text/{kind} part")
for failure in failures:
    print(failure)
sys.exit(1 if failures or not arguments else 0)

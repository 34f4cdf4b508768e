"""A relay that refuses some recipients, for the Postfix harness (tests/support/postfix_loopback.sh):
Postfix relays every domain but the bounce domain here, and turns the refusals into delivery
status notifications. Built on aiosmtpd (Debian's python3-aiosmtpd, hence /usr/bin/python3).

    /usr/bin/python3 refusing_smtp.py PORT_FILE RECEIVED_FILE

Listens in plain SMTP on 127.0.0.1 on a free port and writes that port into PORT_FILE once it
listens (written aside, then renamed, so the file appears whole). At RCPT TO, a local part that
starts with "hard" is refused with 550 5.1.1 (no such mailbox), one that starts with "soft" with
452 4.2.2 (mailbox full); every other recipient is taken, and each accepted message appends one
line per recipient to RECEIVED_FILE before the 250. Runs until it is killed.
"""

import asyncio
import os
import sys

from aiosmtpd.smtp import SMTP


class Refusing:
    def __init__(self, received):
        self.received = received

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("hard"):
            return "550 5.1.1 <%s>: Recipient address rejected: no such mailbox here" % address
        if local.startswith("soft"):
            return "452 4.2.2 <%s>: Mailbox full, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.write("".join(address + "\n" for address in envelope.rcpt_tos))
        self.received.flush()
        return "250 2.0.0 OK"


def main():
    port_file, received_file = sys.argv[1], sys.argv[2]
    received = open(received_file, "a", encoding="utf-8")
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(Refusing(received), data_size_limit=None, timeout=600),
                           host="127.0.0.1", port=0))
    port = server.sockets[0].getsockname()[1]
    with open(port_file + ".tmp", "w", encoding="ascii") as out:
        out.write(str(port))
    os.replace(port_file + ".tmp", port_file)
    loop.run_forever()


if __name__ == "__main__":
    main()

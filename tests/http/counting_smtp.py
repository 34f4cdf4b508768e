"""An SMTP server that counts what it accepts, for the exactly-once tests of tests/http/SendingTest.cpp.
Built on aiosmtpd (Debian's python3-aiosmtpd, hence /usr/bin/python3).

    /usr/bin/python3 counting_smtp.py PORT_FILE RECEIVED_FILE

Listens in plain SMTP on 127.0.0.1 on a free port and writes that port into PORT_FILE once it
listens (written aside, then renamed, so the file appears whole). Every message it accepts
appends one line per recipient (the RCPT TO address) to RECEIVED_FILE, flushed before the 250
goes out: a line in the file is a message the server said it took. Messages are not kept.
An address listed in RECEIVED_FILE.refuse (one a line, read at each RCPT TO) is refused with
550, as a mailbox that does not exist. Runs until it is killed.
"""

import asyncio
import os
import sys

from aiosmtpd.smtp import SMTP


class Counting:
    def __init__(self, received):
        self.received = received

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        try:
            with open(self.received.name + ".refuse", encoding="utf-8") as refused:
                if address in (line.strip() for line in refused):
                    return "550 5.1.1 no such mailbox"
        except FileNotFoundError:
            pass
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # Before the reply: once the client reads 250, the line is on disk.
        self.received.write("".join(address + "\n" for address in envelope.rcpt_tos))
        self.received.flush()
        return "250 OK"


def main():
    port_file, received_file = sys.argv[1], sys.argv[2]
    received = open(received_file, "a", encoding="utf-8")
    handler = Counting(received)
    loop = asyncio.new_event_loop()
    # The sender's messages are small, but 20,000 of them pass: no size limit, no idle timeout.
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(handler, data_size_limit=None, timeout=3600),
                           host="127.0.0.1", port=0))
    port = server.sockets[0].getsockname()[1]
    with open(port_file + ".tmp", "w", encoding="ascii") as out:
        out.write(str(port))
    os.replace(port_file + ".tmp", port_file)
    loop.run_forever()


if __name__ == "__main__":
    main()

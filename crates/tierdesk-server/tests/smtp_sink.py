"""A real SMTP server for the e-mail tests: aiosmtpd on 127.0.0.1, a free port.

Prints `PORT <n>` once it listens, then one JSON line per accepted message:
{"mail_from": ..., "rcpt_tos": [...], "data": "<the message, as received>"}.
"""
import asyncio
import json
import socket

from aiosmtpd.smtp import SMTP


class Sink:
    async def handle_DATA(self, server, session, envelope):
        content = envelope.content
        if isinstance(content, bytes):
            content = content.decode("utf-8", "replace")
        print(json.dumps({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "data": content}), flush=True)
        return "250 Message accepted for delivery"


async def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Sink(), hostname="sink.test"), sock=sock)
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    # Runs until the test kills it.
    await asyncio.Event().wait()


asyncio.run(main())

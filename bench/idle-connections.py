#!/usr/bin/env python3
"""bench/idle-connections.py - open N keep-alive connections and hold them idle.

Usage: idle-connections.py HOST PORT N PATH SECONDS
Each connection sends one GET (HTTP/1.1, keep-alive) and reads its whole response, so the
server has parsed a request on it and holds it as an idle keep-alive connection. Prints
"open N" to stdout as soon as every connection is idle or has failed (with "failed M" and
the first reasons on stderr), then holds the open ones SECONDS, or until SIGTERM/SIGINT,
and prints "held K" (those the server had not closed meanwhile) before closing them.
Exits non-zero when fewer than N could be opened or the server closed some.
"""
import asyncio
import collections
import signal
import sys

BATCH = 500  # connections opened at once: a burst of thousands of SYNs overflows the listen backlog
OPEN_TIMEOUT = 30.0  # seconds for one connection to connect, send and read its answer
MAX_HEAD = 64 * 1024  # bytes of response head accepted
MAX_BODY = 16 * 1024 * 1024  # bytes of response body accepted


async def read_body(reader, head):
    """Reads the body the head announces: Content-Length or chunked."""
    length, chunked, close = 0, False, False
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection" and "close" in value:
            close = True
    if close:
        raise ConnectionError("the server answered Connection: close")
    if not chunked:
        if length > MAX_BODY:
            raise ValueError(f"body of {length} bytes")
        await reader.readexactly(length)
        return
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await read_trailers(reader)
            return
        await reader.readexactly(size + 2)


async def read_trailers(reader):
    while (await reader.readuntil(b"\r\n")) != b"\r\n":
        pass


async def open_one(host, port, path):
    """Opens one connection, makes one request on it and returns it idle."""
    reader, writer = await asyncio.open_connection(host, port, limit=MAX_HEAD)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = head.split(b"\r\n", 1)[0].decode("latin-1")
        if status.split(" ")[1:2] != ["200"]:
            raise ConnectionError(f"answer: {status}")
        await read_body(reader, head)
        return reader, writer
    except BaseException:
        writer.close()
        raise


async def main():
    host, port, n, path, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], float(sys.argv[5])
    opened, reasons = [], collections.Counter()
    # Each batch is awaited until every connection of it is idle or failed (each bounded by
    # OPEN_TIMEOUT); the connections stay open, held by `opened`, not by running tasks.
    for start in range(0, n, BATCH):
        batch = [asyncio.wait_for(open_one(host, port, path), OPEN_TIMEOUT) for _ in range(min(BATCH, n - start))]
        for result in await asyncio.gather(*batch, return_exceptions=True):
            if isinstance(result, BaseException):
                reasons[f"{type(result).__name__}: {result}"] += 1
            else:
                opened.append(result)
    failed = n - len(opened)
    print(f"open {len(opened)}" + (f" failed {failed}" if failed else ""), flush=True)
    for reason, count in reasons.most_common(5):
        print(f"{count} x {reason}", file=sys.stderr, flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except asyncio.TimeoutError:
        pass
    # a connection the server closed meanwhile has seen end of stream
    held = sum(1 for reader, _ in opened if not reader.at_eof())
    print(f"held {held}", flush=True)
    for _, writer in opened:
        writer.close()
    sys.exit(0 if len(opened) == n and held == n else 1)


asyncio.run(main())

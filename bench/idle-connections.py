#!/usr/bin/env python3
"""bench/idle-connections.py - open N keep-alive connections and hold them idle.

Usage: idle-connections.py HOST PORT N PATH SECONDS
Each connection sends one GET (HTTP/1.1, keep-alive) and reads its response, so the
server has parsed a request on it and holds it as an idle keep-alive connection. Prints
"open N" to stdout once all N are idle, then holds them SECONDS (or until it is
terminated) and closes them. Exits non-zero when fewer than N could be opened.
"""
import asyncio
import sys


async def one(host, port, path, hold, opened):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.decode("latin-1").split("\r\n"):
        if line.lower().startswith("content-length:"):
            length = int(line.split(":", 1)[1])
    await reader.readexactly(length)
    opened.append(writer)
    await hold.wait()
    writer.close()


async def main():
    host, port, n, path, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], float(sys.argv[5])
    hold = asyncio.Event()
    opened = []
    tasks = []
    # open in batches: a burst of thousands of SYNs overflows the listen backlog
    for start in range(0, n, 500):
        batch = [asyncio.create_task(one(host, port, path, hold, opened)) for _ in range(min(500, n - start))]
        tasks += batch
        await asyncio.wait(batch, timeout=30)
    failed = sum(1 for t in tasks if t.done() and t.exception() is not None)
    print(f"open {len(opened)}" + (f" failed {failed}" if failed else ""), flush=True)
    await asyncio.sleep(seconds)
    hold.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    sys.exit(0 if len(opened) == n else 1)


asyncio.run(main())

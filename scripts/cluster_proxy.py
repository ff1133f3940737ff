"""A small HTTP proxy for `make run-cluster` (a try on one machine, not for production: use
nginx, docs/deployment.md). It listens on 127.0.0.1 and hands each client connection to one
of the web processes, chosen by the hash of the sign-in cookie, so every connection of one
browser (page requests, Socket.IO polling and its websocket upgrade) reaches the same process;
a connection without the cookie goes round robin. After the first request's head it only
copies bytes both ways (websocket upgrades pass through unchanged).

Why not by client address: behind an office's NAT every employee shares one address, so
`ip_hash` would put a whole town hall on one process."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import itertools
import re

COOKIE = re.compile(rb"(?:^|;)\s*peerlab_session=([^;\r\n]+)")
HEAD_LIMIT = 64 * 1024
BAD_GATEWAY = b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def pick(head: bytes, backends: list[tuple[str, int]], turns) -> tuple[str, int]:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"cookie":
            match = COOKIE.search(value)
            if match:
                digest = hashlib.sha256(match.group(1)).digest()
                return backends[int.from_bytes(digest[:4], "big") % len(backends)]
    return backends[next(turns) % len(backends)]


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        with contextlib.suppress(ConnectionError, RuntimeError):
            writer.close()


async def handle(client_r, client_w, backends, turns) -> None:
    try:
        head = await client_r.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        client_w.close()
        return
    host, port = pick(head, backends, turns)
    try:
        server_r, server_w = await asyncio.open_connection(host, port)
    except OSError:
        client_w.write(
            b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        client_w.close()
        return
    server_w.write(head)
    await asyncio.gather(pipe(client_r, server_w), pipe(server_r, client_w))


async def serve(listen: int, backends: list[tuple[str, int]]) -> None:
    turns = itertools.count()
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, backends, turns), "127.0.0.1", listen, limit=HEAD_LIMIT
    )
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=int, default=5100)
    parser.add_argument("backends", nargs="+", help="ports of the web processes on 127.0.0.1")
    args = parser.parse_args()
    backends = [("127.0.0.1", int(port)) for port in args.backends]
    print(f"Proxy: http://127.0.0.1:{args.listen}/ -> {', '.join(str(p) for _, p in backends)}")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.listen, backends))


if __name__ == "__main__":
    main()

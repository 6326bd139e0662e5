"""Python `websockets` as a client against an echo server (our echo_server).

usage: python py_client.py ws://127.0.0.1:PORT/path [deflate|plain]
Sends text, binary, empty, fragmented and 16 MiB messages and a ping, checks every echo,
closes with 4000 and checks the server echoed it. Exit 0 on success.
"""
import asyncio
import sys

from websockets.asyncio.client import connect


async def main(url: str, deflate: bool) -> None:
    async with connect(url, compression="deflate" if deflate else None, max_size=64 << 20, ping_interval=None, open_timeout=120, close_timeout=120) as ws:
        exts = ws.response.headers.get("Sec-WebSocket-Extensions", "")
        assert ("permessage-deflate" in exts) == deflate, exts
        big = bytes((i * 13) & 0xFF for i in range(16 << 20))
        cases = ["hello", b"\x00\x01\xff", "", b"", "κόσμε€" * 1000, big]
        for m in cases:
            await ws.send(m)
            assert await ws.recv() == m, f"echo of {len(m)} bytes"
        await ws.send(["frag", "ment", "ed"])  # one message in three frames
        assert await ws.recv() == "fragmented"
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, 120)
        await ws.close(4000, "done")
        assert ws.close_code == 4000, ws.close_code
    print(f"python client ({'deflate' if deflate else 'plain'}): ok")


asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2:] != ["plain"]), 240))

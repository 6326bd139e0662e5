"""Python `websockets` as a server for an echo client (our client).

usage: python py_server.py [deflate|plain]   prints "PORT <n>" once listening.
On the first connection: sends text, binary, empty, fragmented and 16 MiB messages and a
ping, checks every echo, closes with 4001, and exits 0 once the close handshake is done.
"""
import asyncio
import sys

from websockets.asyncio.server import serve

DEFLATE = sys.argv[1:] != ["plain"]
done = None


async def handler(ws):
    try:
        exts = ws.response.headers.get("Sec-WebSocket-Extensions", "")
        assert ("permessage-deflate" in exts) == DEFLATE, exts
        for m in ["hi from python", b"\x07\x08", "", bytes(16 << 20)]:
            await ws.send(m)
            assert await ws.recv() == m, f"echo of {len(m)} bytes"
        await ws.send([b"a", b"b", b"c"])
        assert await ws.recv() == b"abc"
        await asyncio.wait_for(await ws.ping(b"p"), 120)
        await ws.close(4001, "bye")
        assert ws.close_code == 4001, ws.close_code
        done.set_result(True)
    except BaseException as e:  # report, then fail the process
        done.set_exception(e)


async def main():
    global done
    done = asyncio.get_running_loop().create_future()
    async with serve(handler, "127.0.0.1", 0, compression="deflate" if DEFLATE else None, max_size=64 << 20, ping_interval=None, open_timeout=120, close_timeout=120) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"PORT {port}", flush=True)
        # Generous timeouts and no keep-alive pings (ping_interval=None): on a loaded 2-core
        # machine a starved peer can take a minute, and this test is about the echo.
        await asyncio.wait_for(done, 240)
    print(f"python server ({'deflate' if DEFLATE else 'plain'}): ok", file=sys.stderr)


asyncio.run(main())

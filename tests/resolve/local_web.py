"""A scripted HTTP/1.1 server on 127.0.0.1 for the link-checking tests."""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from collections.abc import Awaitable, Callable

from citecheck.options import Options

Handler = Callable[[str, asyncio.StreamWriter, int], Awaitable[None]]
FAST = Options(allow_private=True, cache=None, max_retries=2, timeout=5.0)


def raw(
    status: int, body: bytes = b"", headers: dict[str, str] | None = None, length: int | None = None
) -> bytes:
    lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body) if length is None else length}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def page(title: str, body: str = "") -> bytes:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>".encode()


HTML = {"Content-Type": "text/html"}


class Web:
    """A scripted HTTP/1.1 server in its own thread; routes map a path to a handler."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: dict[str, list[str]] = defaultdict(list)
        self.heads: list[str] = []
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self.thread.start()
        ready.wait(5)

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()
        server.close()
        self.loop.run_until_complete(server.wait_closed())
        for task in asyncio.all_tasks(self.loop):
            task.cancel()
        self.loop.run_until_complete(asyncio.sleep(0.01))
        self.loop.close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, path: str, *responses: bytes) -> None:
        """Answer ``path`` with ``responses`` in turn (the last one repeats), HEAD and GET."""

        async def handler(method: str, writer: asyncio.StreamWriter, count: int) -> None:
            data = responses[min(count, len(responses) - 1)]
            if method == "HEAD":
                data = data.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
            writer.write(data)

        self.routes[path] = handler

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method, target = head.decode().split(" ")[:2]
                self.hits[target].append(method)
                self.heads.append(head.decode())
                handler = self.routes.get(target)
                if handler is None:
                    writer.write(raw(404, page("Not Found")))
                else:
                    await handler(method, writer, len(self.hits[target]) - 1)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

"""A lean keep-alive HTTP/1.1 connection pool for one push-service origin.

Measured on the 2-core machine (docs/notifications.md), httpx/httpcore's pool
spends most of its time assigning requests to connections, and gets slower the
more connections it holds. Push requests are all alike (one POST, a short
answer), so this pool keeps a few TLS connections open and sends each request
on a free one. It speaks just enough HTTP/1.1: Content-Length and chunked
answers, ``Connection: close``, and reconnects when the service closes an idle
connection.
"""

import asyncio
import ssl
from urllib.parse import urlsplit


class PushConnectionError(Exception):
    """The request could not be completed; the device's outcome is transient."""


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer

    def close(self) -> None:
        self.writer.close()


class OriginPool:
    """Up to ``size`` keep-alive connections to one origin (scheme://host:port)."""

    def __init__(self, origin: str, *, size: int, ssl_context: ssl.SSLContext, timeout: float = 15.0):
        parts = urlsplit(origin)
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.netloc = parts.netloc
        self.ssl_context = ssl_context if parts.scheme == "https" else None
        self.size = size
        self.timeout = timeout
        self.idle: list[_Connection] = []
        self.slots = asyncio.Semaphore(size)
        self.opened = 0

    async def _connection(self) -> tuple[_Connection, bool]:
        if self.idle:
            return self.idle.pop(), True
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port, ssl=self.ssl_context, limit=2**16), self.timeout
        )
        self.opened += 1
        return _Connection(reader, writer), False

    async def post(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str]]:
        async with self.slots:
            for attempt in range(2):
                connection, reused = await self._connection()
                try:
                    status, answer, keep = await asyncio.wait_for(
                        self._exchange(connection, path, headers, body), self.timeout
                    )
                except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as error:
                    connection.close()
                    # An idle connection the service closed: try once on a fresh one.
                    if attempt == 0 and reused and isinstance(error, asyncio.IncompleteReadError | ConnectionError):
                        continue
                    raise PushConnectionError(type(error).__name__) from error
                if keep:
                    self.idle.append(connection)
                else:
                    connection.close()
                return status, answer
        raise PushConnectionError("connection closed")

    async def _exchange(self, connection: _Connection, path: str, headers: dict[str, str], body: bytes):
        lines = [f"POST {path} HTTP/1.1", f"Host: {self.netloc}", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        connection.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await connection.writer.drain()
        status_line = await connection.reader.readuntil(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        answer: dict[str, str] = {}
        while (line := await connection.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            answer[name.strip().lower()] = value.strip()
        if answer.get("transfer-encoding", "").lower() == "chunked":
            while (size := int((await connection.reader.readuntil(b"\r\n")).split(b";")[0], 16)) > 0:
                await connection.reader.readexactly(size + 2)
            await connection.reader.readuntil(b"\r\n")
        else:
            await connection.reader.readexactly(int(answer.get("content-length", "0")))
        keep = answer.get("connection", "").lower() != "close"
        return status, answer, keep

    def close(self) -> None:
        for connection in self.idle:
            connection.close()
        self.idle.clear()

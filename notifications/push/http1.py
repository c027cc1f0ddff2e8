"""A lean keep-alive HTTP/1.1 connection pool for one push-service origin.

Measured on the 2-core machine (docs/notifications.md), httpx/httpcore's pool
spends most of its time assigning requests to connections, and gets slower the
more connections it holds. Push requests are all alike (one POST, a short
answer), so this pool keeps a few TLS connections open and sends each request
on a free one. It speaks just enough HTTP/1.1: Content-Length and chunked
answers, ``Connection: close``, and reconnects when the service closes an idle
connection.

Connections are opened as the service's latency needs them, not all at once: a
request that finds every connection busy waits up to ``open_after`` (0.1 s) for
one to come back before the pool opens another, up to ``size``. Against a
nearby service one or two connections carry the whole load, and a worker does
not spend its first chunk on 64 TLS handshakes (measured: a cold 500-delivery
chunk took 0.35-0.49 s with 64 handshakes and 0.25 s on one connection,
docs/notifications.md); against a distant one the pool still grows to ``size``
after the first 0.1 s. A shorter wait does not work: while a worker encrypts a
window of 128 messages its event loop is busy for longer than 20 ms, so every
waiting request timed out and the pool opened all 64 connections anyway.
"""

import asyncio
import ssl
from collections import deque
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

OPEN_AFTER_SECONDS = 0.1


class PushConnectionError(Exception):
    """The request could not be completed; the device's outcome is transient."""


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer

    def close(self) -> None:
        self.writer.close()


class OriginPool:
    """Up to ``size`` keep-alive connections to one origin (scheme://host:port)."""

    def __init__(
        self,
        origin: str,
        *,
        size: int,
        ssl_context: ssl.SSLContext,
        timeout: float = 15.0,
        open_after: float | None = None,
        resolve: Callable[[str, int], Awaitable[str]] | None = None,
    ):
        parts = urlsplit(origin)
        self.resolve = resolve  # host, port -> the checked address to connect to
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.netloc = parts.netloc
        self.ssl_context = ssl_context if parts.scheme == "https" else None
        self.size = size
        self.timeout = timeout
        self.open_after = OPEN_AFTER_SECONDS if open_after is None else open_after
        self.idle: list[_Connection] = []
        self.waiters: deque[asyncio.Future] = deque()
        self.connections = 0  # open or being opened
        self.slots = asyncio.Semaphore(size)
        self.opened = 0

    def _hand_over(self, connection: _Connection | None) -> bool:
        """Give a connection (or, with None, the turn to open one) to the longest waiting request."""
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(connection)
                return True
        return False

    def _release(self, connection: _Connection) -> None:
        if not self._hand_over(connection):
            self.idle.append(connection)

    def _discard(self, connection: _Connection) -> None:
        connection.close()
        self.connections -= 1
        self._hand_over(None)  # a waiting request may open a connection in its place

    def _stop_waiting(self, waiter: asyncio.Future) -> None:
        if not waiter.done():
            self.waiters.remove(waiter)
            waiter.set_result(None)

    async def _connection(self) -> tuple[_Connection, bool]:
        patient = True
        while not self.idle:
            if self.connections == 0 or (not patient and self.connections < self.size):
                return await self._open(), False
            waiter = asyncio.get_running_loop().create_future()
            self.waiters.append(waiter)
            timer = None
            if patient and self.connections < self.size:
                timer = asyncio.get_running_loop().call_later(self.open_after, self._stop_waiting, waiter)
            try:
                connection = await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled() and waiter.result() is not None:
                    self._release(waiter.result())  # handed over just before the cancellation
                raise
            finally:
                if timer is not None:
                    timer.cancel()
            if connection is not None:
                return connection, True
            patient = False
        return self.idle.pop(), True

    async def _open(self) -> _Connection:
        self.connections += 1
        try:
            reader, writer = await asyncio.wait_for(self._connect(), self.timeout)
        except BaseException:
            self.connections -= 1
            self._hand_over(None)
            raise
        self.opened += 1
        return _Connection(reader, writer)

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        address = await self.resolve(self.host, self.port) if self.resolve else self.host
        return await asyncio.open_connection(
            address,
            self.port,
            ssl=self.ssl_context,
            server_hostname=self.host if self.ssl_context else None,
            limit=2**16,
        )

    async def post(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str]]:
        async with self.slots:
            for attempt in range(2):
                try:
                    connection, reused = await self._connection()
                except (OSError, TimeoutError) as error:
                    raise PushConnectionError(type(error).__name__) from error
                try:
                    status, answer, keep = await asyncio.wait_for(
                        self._exchange(connection, path, headers, body), self.timeout
                    )
                except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as error:
                    self._discard(connection)
                    # An idle connection the service closed: try once on a fresh one.
                    if attempt == 0 and reused and isinstance(error, asyncio.IncompleteReadError | ConnectionError):
                        continue
                    raise PushConnectionError(type(error).__name__) from error
                if keep:
                    self._release(connection)
                else:
                    self._discard(connection)
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
        self.connections -= len(self.idle)
        self.idle.clear()

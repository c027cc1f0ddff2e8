"""A loopback fake of Apple's APNs provider API: HTTP/2 over TLS (RFC 7540, ALPN h2).

aioapns connects to it as to api.push.apple.com. It checks the provider JWT
(ES256, ``iss`` is the team id, ``kid`` the key id) and answers 200, or a queued
status with APNs' JSON ``reason`` (410 Unregistered, 400 BadDeviceToken, 429…).
"""

import json
import socket
import ssl
import tempfile
import threading
from collections import defaultdict
from dataclasses import dataclass, field

import h2.config
import h2.connection
import h2.events
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.notifications.push_service import self_signed_certificate

TEAM_ID = "TEAM123456"
KEY_ID = "KEY1234567"


@dataclass
class FakeAPNs:
    received: list[dict] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    answers: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> "FakeAPNs":
        directory = tempfile.mkdtemp(prefix="apns-fake-")
        self.cert_path, key_path = self_signed_certificate(directory)
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(self.cert_path, key_path)
        self.context.set_alpn_protocols(["h2"])
        signing_key = ec.generate_private_key(ec.SECP256R1())
        self.public_key = signing_key.public_key()
        self.key_path = f"{directory}/AuthKey_{KEY_ID}.p8"
        with open(self.key_path, "wb") as key_file:
            key_file.write(
                signing_key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
            )
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self) -> None:
        self.running = False
        self.listener.close()

    def answer(self, token: str, status: int, reason: str) -> None:
        self.answers[token].append((status, reason))

    def _accept(self) -> None:
        while self.running:
            try:
                raw, _address = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(raw,), daemon=True).start()

    def _serve(self, raw: socket.socket) -> None:
        try:
            sock = self.context.wrap_socket(raw, server_side=True)
        except (OSError, ssl.SSLError):
            return
        connection = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=False))
        connection.initiate_connection()
        sock.sendall(connection.data_to_send())
        requests: dict[int, dict] = {}
        while self.running:
            try:
                data = sock.recv(65535)
            except OSError:
                return
            if not data:
                return
            for event in connection.receive_data(data):
                if isinstance(event, h2.events.RequestReceived):
                    requests[event.stream_id] = {"headers": dict(event.headers), "body": b""}
                elif isinstance(event, h2.events.DataReceived):
                    requests[event.stream_id]["body"] += event.data
                    connection.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, h2.events.StreamEnded):
                    self._respond(connection, event.stream_id, requests.pop(event.stream_id))
            sock.sendall(connection.data_to_send())

    def _respond(self, connection, stream_id: int, request: dict) -> None:
        headers = {key.decode(): value.decode() for key, value in request["headers"].items()}
        token = headers[":path"].rsplit("/", 1)[-1]
        status, reason = self._check(headers)
        if status == 200:
            with self.lock:
                queued = self.answers.get(token)
                status, reason = queued.pop(0) if queued else (200, "")
                if status == 200:
                    self.received.append({"token": token, "headers": headers, "payload": json.loads(request["body"])})
        response = [(":status", str(status)), ("apns-id", headers.get("apns-id", "00000000-0000-0000-0000-0"))]
        if status == 200:
            connection.send_headers(stream_id, response, end_stream=True)
        else:
            connection.send_headers(stream_id, [*response, ("content-type", "application/json")])
            connection.send_data(stream_id, json.dumps({"reason": reason}).encode(), end_stream=True)

    def _check(self, headers: dict) -> tuple[int, str]:
        token = headers.get("authorization", "").removeprefix("bearer ")
        try:
            claims = jwt.decode(token, key=self.public_key, algorithms=["ES256"])
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            self.rejected.append("jwt")
            return 403, "InvalidProviderToken"
        if claims.get("iss") != TEAM_ID or header.get("kid") != KEY_ID:
            self.rejected.append("iss/kid")
            return 403, "InvalidProviderToken"
        return 200, ""

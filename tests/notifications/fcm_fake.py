"""A loopback fake of FCM's HTTP v1 endpoint and Google's OAuth token endpoint.

firebase-admin talks to it exactly as to Google: it signs a service-account JWT,
trades it for an access token at ``/token``, then POSTs one v1 message per
device to ``/v1/projects/<project>/messages:send``. Answers per token can be
queued: an FCM error code (UNREGISTERED, INVALID_ARGUMENT, QUOTA_EXCEEDED…)
with its HTTP status and headers.
"""

import json
import os
import tempfile
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PROJECT = "norderstedt-go-test"
STATUS_NAMES = {400: "INVALID_ARGUMENT", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 503: "UNAVAILABLE"}


@dataclass
class FakeFCM:
    messages: list[dict] = field(default_factory=list)
    answers: dict[str, list[tuple[int, str, dict]]] = field(default_factory=lambda: defaultdict(list))
    tokens_issued: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> "FakeFCM":
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.fake = self
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.credentials_file = self._service_account()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _service_account(self) -> str:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        account = {
            "type": "service_account",
            "project_id": PROJECT,
            "private_key_id": "test",
            "private_key": pem,
            "client_email": f"push@{PROJECT}.iam.gserviceaccount.com",
            "client_id": "1",
            "token_uri": f"{self.base}/token",
        }
        handle, path = tempfile.mkstemp(suffix=".json")
        with os.fdopen(handle, "w") as file:
            json.dump(account, file)
        return path

    def answer(self, token: str, status: int, error_code: str, headers: dict | None = None) -> None:
        self.answers[token].append((status, error_code, headers or {}))

    def sent_to(self, token: str) -> list[dict]:
        return [message for message in self.messages if message["token"] == token]

    def handle(self, path: str, body: dict) -> tuple[int, dict, dict]:
        if path == "/token":
            with self.lock:
                self.tokens_issued += 1
            return 200, {"access_token": "fake-access-token", "expires_in": 3600, "token_type": "Bearer"}, {}
        if path != f"/v1/projects/{PROJECT}/messages:send":
            return 404, {}, {}
        message = body["message"]
        with self.lock:
            queued = self.answers.get(message["token"])
            status, code, headers = queued.pop(0) if queued else (200, "", {})
            if status == 200:
                self.messages.append(message)
        if status == 200:
            return 200, {"name": f"projects/{PROJECT}/messages/{len(self.messages)}"}, {}
        error = {
            "code": status,
            "message": code,
            "status": STATUS_NAMES.get(status, "UNKNOWN"),
            "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": code}],
        }
        return status, {"error": error}, headers


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        status, answer, headers = self.server.fake.handle(self.path.split("?")[0], body)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        return

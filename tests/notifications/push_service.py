"""A local Web Push service for tests: RFC 8030 over HTTPS on loopback.

Not a mock of our code: it is the other side of the protocol. It checks what a
real push service checks and decrypts what a real browser would decrypt:

* the VAPID JWT (RFC 8292): ES256 signature with the key in ``k=``, ``aud`` is
  this service's origin, ``exp`` at most 24 h ahead, ``sub`` is mailto: or https:;
* the aes128gcm body (RFC 8291), with the private key and auth secret the test
  generated for each subscription;
* it answers 201, or whatever the test queued for an endpoint (404, 410, 429 with
  Retry-After, 500), and counts TLS connections.
"""

import base64
import datetime
import ipaddress
import json
import os
import ssl
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def self_signed_certificate(directory: str, hosts: tuple[str, ...] = ("127.0.0.1",)) -> tuple[str, str]:
    """A certificate for ``hosts`` (IP addresses) and localhost; returns (cert path, key path)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [*(x509.IPAddress(ipaddress.ip_address(host)) for host in hosts), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    with open(cert_path, "wb") as cert_file:
        cert_file.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as key_file:
        key_file.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    return cert_path, key_path


@dataclass
class Received:
    endpoint_id: str
    payload: dict
    urgency: str
    ttl: str


@dataclass
class LocalPushService:
    """Start with ``start()``; ``subscription_new()`` returns what a browser's PushManager would."""

    keys: dict[str, tuple[ec.EllipticCurvePrivateKey, bytes]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    responses: dict[str, list[tuple[int, dict]]] = field(default_factory=lambda: defaultdict(list))
    tls_connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> "LocalPushService":
        self.directory = tempfile.mkdtemp(prefix="push-service-")
        self.cert_path, key_path = self_signed_certificate(self.directory)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_path, key_path)
        self.server = _Server(self, context)
        self.origin = f"https://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def subscription_new(self) -> dict:
        endpoint_id = b64url(os.urandom(12))
        private_key = ec.generate_private_key(ec.SECP256R1())
        auth = os.urandom(16)
        self.keys[endpoint_id] = (private_key, auth)
        public = private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": f"{self.origin}/push/{endpoint_id}",
            "keys": {"p256dh": b64url(public), "auth": b64url(auth)},
        }

    def respond(self, endpoint: str, status: int, headers: dict | None = None, times: int = 1) -> None:
        """Queue answers for one endpoint; after them it answers 201 again."""
        self.responses[endpoint.rsplit("/", 1)[-1]].extend([(status, headers or {})] * times)

    def received_by(self, endpoint: str) -> list[Received]:
        endpoint_id = endpoint.rsplit("/", 1)[-1]
        return [item for item in self.received if item.endpoint_id == endpoint_id]

    def verify_vapid(self, authorization: str) -> str:
        """Empty string when the VAPID header is valid (RFC 8292), else the reason."""
        if not authorization.startswith("vapid "):
            return "no vapid scheme"
        params = dict(part.strip().split("=", 1) for part in authorization[6:].split(","))
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(params["k"]))
        try:
            claims = jwt.decode(params["t"], key=public_key, algorithms=["ES256"], audience=self.origin)
        except jwt.PyJWTError as error:
            return f"jwt: {error}"
        if claims["exp"] > time.time() + 24 * 60 * 60:
            return "exp more than 24 h ahead"
        if not claims.get("sub", "").startswith(("mailto:", "https:")):
            return "sub is neither mailto: nor https:"
        return ""

    def handle(self, endpoint_id: str, headers, body: bytes) -> tuple[int, dict]:
        if endpoint_id not in self.keys:
            return 404, {}
        problem = self.verify_vapid(headers.get("Authorization", ""))
        if problem:
            with self.lock:
                self.rejected.append((endpoint_id, problem))
            return 403, {}
        if headers.get("Content-Encoding") != "aes128gcm" or len(body) > 4096:
            return 400 if len(body) <= 4096 else 413, {}
        with self.lock:
            queued = self.responses.get(endpoint_id)
            answer = queued.pop(0) if queued else (201, {})
        if answer[0] == 201:
            private_key, auth = self.keys[endpoint_id]
            plain = http_ece.decrypt(body, private_key=private_key, auth_secret=auth, version="aes128gcm")
            with self.lock:
                self.received.append(
                    Received(endpoint_id, json.loads(plain), headers.get("Urgency", ""), headers.get("TTL", ""))
                )
        return answer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        # The TLS handshake happens here, in the connection's own thread: done in accept(), a client
        # that connects and never finishes it would block the server loop and stop() with it.
        self.request.settimeout(HANDSHAKE_SECONDS)
        self.request.do_handshake()
        self.request.settimeout(None)
        super().setup()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        endpoint_id = self.path.rsplit("/", 1)[-1]
        status, headers = self.server.service.handle(endpoint_id, self.headers, body)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        return


HANDSHAKE_SECONDS = 10


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, service: LocalPushService, context: ssl.SSLContext):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.service = service
        self.socket = context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)

    def get_request(self):
        connection, address = super().get_request()
        with self.service.lock:
            self.service.tls_connections += 1
        return connection, address

"""VAPID keys for local development, generated once and kept outside git."""

import base64
import json
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def vapid_key_pair() -> dict[str, str]:
    """A P-256 key pair in the formats browsers and py_vapid expect (RFC 8292 section 3.2)."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    private_raw = private_key.private_numbers().private_value.to_bytes(32, "big")
    public_raw = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"private_key": _b64url(private_raw), "public_key": _b64url(public_raw)}


def vapid_keys_ensure(*, path: Path) -> bool:
    """Write a key pair to ``path`` unless one is there. True when it wrote one."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(vapid_key_pair(), indent=2))
    path.chmod(0o600)
    return True

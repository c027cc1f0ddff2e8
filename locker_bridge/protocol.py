"""The wire format between the bridge and locker controllers (docs/locker_protocol.md).

Plain Python without Django, so the simulator and a controller vendor can use it
as the reference. Messages are JSON objects with a version field ``v``; every
command, acknowledgement and event carries an HMAC-SHA256 signature (RFC 2104)
over its canonical JSON under the controller's key.
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

VERSION = 1

COMMAND_TYPES = ("open", "pin_provision", "pin_revoke", "state_report")
ACK_RESULTS = ("opened", "applied", "failed", "expired", "rejected", "duplicate")
EVENT_TYPES = ("door_opened", "door_closed", "pin_used", "pin_wrong", "tamper", "state_report")


class InvalidMessage(ValueError):
    """A message that is not JSON, has the wrong version, or a bad signature."""


def topic(prefix: str, controller_id: str, channel: str) -> str:
    """Topics per controller: ``<prefix>/<controller_id>/<channel>``.

    Channels: ``cmd`` (server to controller), ``ack``, ``event``, ``heartbeat``
    and ``presence`` (retained, set to offline by the controller's last will).
    """
    return f"{prefix}/{controller_id}/{channel}"


def timestamp(moment: datetime) -> str:
    """UTC with milliseconds and a ``Z``: the only time format on the wire."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_timestamp(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def canonical(message: dict[str, Any]) -> bytes:
    """The bytes that are signed: sorted keys, no spaces, UTF-8, without ``sig``."""
    body = {key: value for key, value in message.items() if key != "sig"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signature(message: dict[str, Any], key: str) -> str:
    return hmac.new(key.encode(), canonical(message), hashlib.sha256).hexdigest()


def sign(message: dict[str, Any], key: str) -> dict[str, Any]:
    return {**message, "sig": signature(message, key)}


def verify(message: dict[str, Any], key: str) -> bool:
    given = message.get("sig")
    return isinstance(given, str) and hmac.compare_digest(given, signature(message, key))


def pin_hash(pin: str, key: str) -> str:
    """What a controller stores for a PIN: HMAC of the digits under the controller key."""
    return hmac.new(key.encode(), f"pin:{pin}".encode(), hashlib.sha256).hexdigest()


def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode()


def decode(payload: bytes | str) -> dict[str, Any]:
    try:
        message = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidMessage("not JSON") from error
    if not isinstance(message, dict):
        raise InvalidMessage("not a JSON object")
    if message.get("v") != VERSION:
        raise InvalidMessage(f"unsupported protocol version {message.get('v')!r}")
    return message


def decode_signed(payload: bytes | str, key: str) -> dict[str, Any]:
    message = decode(payload)
    if not verify(message, key):
        raise InvalidMessage("bad signature")
    return message

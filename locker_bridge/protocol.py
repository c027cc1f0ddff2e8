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
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

VERSION = 2

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


# Bounded parsing: every legitimate message is far below these limits, and a
# hostile one must not exhaust memory, the stack or the CPU.
MAX_MESSAGE_BYTES = 16 * 1024
MAX_DEPTH = 8
MAX_INTEGER_DIGITS = 18


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise InvalidMessage("integer too long")
    return int(text)


def _float(text: str) -> float:
    raise InvalidMessage("no floats in this protocol")


def _constant(text: str) -> float:
    raise InvalidMessage(f"{text} is not JSON")


def _depth(value: Any) -> int:
    depth, level = 0, [value]
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return depth
        children = []
        for item in level:
            if isinstance(item, dict):
                children.extend(item.values())
            elif isinstance(item, list):
                children.extend(item)
        level = children
    return depth


def decode(payload: bytes | str) -> dict[str, Any]:
    """Parse one message with bounds: size, nesting, integer length, strict UTF-8, no lone surrogates.

    Raises ``InvalidMessage`` for anything else, never another exception, so a
    receiver can always answer (or drop) and go on.
    """
    if len(payload) > MAX_MESSAGE_BYTES:
        raise InvalidMessage("message too large")
    try:
        text = payload.decode("utf-8", errors="strict") if isinstance(payload, bytes) else payload
        if text.count("[") + text.count("{") > 4096:
            raise InvalidMessage("too many nested values")
        message = json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=_constant)
        # A lone surrogate (\ud800) parses, but cannot be signed or stored as UTF-8.
        json.dumps(message, ensure_ascii=False).encode("utf-8")
    except InvalidMessage:
        raise
    except (UnicodeError, ValueError, RecursionError) as error:
        raise InvalidMessage("not valid JSON in UTF-8") from error
    if not isinstance(message, dict):
        raise InvalidMessage("not a JSON object")
    if _depth(message) > MAX_DEPTH:
        raise InvalidMessage("nested too deeply")
    if message.get("v") != VERSION:
        raise InvalidMessage(f"unsupported protocol version {message.get('v')!r}")
    return message


SCHEMA_DIRECTORY = Path(__file__).parent / "schemas"
SCHEMA_OF_CHANNEL = {"cmd": "command", "ack": "ack", "event": "event", "heartbeat": "heartbeat", "presence": "presence"}


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMA_DIRECTORY / f"{name}.json").read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def schema_errors(channel: str, message: dict[str, Any]) -> list[str]:
    """What is wrong with ``message`` on ``channel`` per its JSON schema (``locker_bridge/schemas/``).

    The same files are printed in docs/locker_protocol.md (a test keeps them
    equal). Timestamps are also parsed here, since format checks are optional
    in JSON Schema.
    """
    errors = [error.message[:200] for error in _validator(SCHEMA_OF_CHANNEL[channel]).iter_errors(message)]
    for field in ("at", "issued_at", "expires_at", "valid_from", "valid_until", "locked_until"):
        value = message.get(field)
        if isinstance(value, str):
            try:
                moment = parse_timestamp(value)
            except ValueError:
                errors.append(f"{field} is not a date-time")
                continue
            if moment.tzinfo is None:
                errors.append(f"{field} has no time zone")
    return errors


def decode_signed(payload: bytes | str, key: str) -> dict[str, Any]:
    message = decode(payload)
    if not verify(message, key):
        raise InvalidMessage("bad signature")
    return message

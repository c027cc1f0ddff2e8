"""The wire format: signatures, and the JSON schemas in docs/locker_protocol.md against real messages."""

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest

from django.conf import settings

from locker_bridge import protocol
from locker_bridge.controller import Controller, state_new

KEY = "k" * 64
SCHEMA_BLOCK = re.compile(r"<!-- schema: (\w+) -->\s*```json\n(.*?)```", re.DOTALL)


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict]:
    text = (Path(settings.BASE_DIR) / "docs" / "locker_protocol.md").read_text()
    return {name: json.loads(body) for name, body in SCHEMA_BLOCK.findall(text)}


def validate(schemas, name, message):
    jsonschema.validate(message, schemas[name], format_checker=jsonschema.FormatChecker())


def command(**fields):
    now = datetime.now(UTC)
    return protocol.sign(
        {
            "v": protocol.VERSION,
            "type": "open",
            "command_id": "8f7d2b8e-3f57-4d0c-9d83-7c0c6d2e1a11",
            "controller": "c1",
            "issued_at": protocol.timestamp(now),
            "expires_at": protocol.timestamp(now + timedelta(seconds=30)),
            "compartment": 1,
            **fields,
        },
        KEY,
    )


def test_the_doc_has_every_schema(schemas):
    assert set(schemas) == {"command", "ack", "event", "heartbeat", "presence"}


def test_the_doc_prints_exactly_the_schemas_the_code_validates_with(schemas):
    for name, schema in schemas.items():
        assert json.loads((protocol.SCHEMA_DIRECTORY / f"{name}.json").read_text()) == schema, name


@pytest.mark.parametrize(
    "payload",
    [
        b"[" * 200_000,
        b"[" * 4000 + b"]" * 4000,
        b'{"v":2,"a":' + b"9" * 5000 + b"}",
        b'{"v":2,"a":"\\ud800"}',
        b'{"v":2,"a":NaN}',
        b'{"v":2,"a":1e999}',
        b"\xff\xfe",
        b'{"v":2,"a":' + b"[" * 20 + b"]" * 20 + b"}",
    ],
    ids=["200k-deep", "4000-deep", "5000-digits", "lone-surrogate", "nan", "huge-float", "not-utf8", "nested"],
)
def test_hostile_payloads_are_invalid_messages_not_crashes(payload):
    with pytest.raises(protocol.InvalidMessage):
        protocol.decode(payload)


def test_a_signed_message_of_the_wrong_type_fails_its_schema():
    message = {"v": protocol.VERSION, "controller": "c1", "at": protocol.timestamp(datetime.now(UTC))}
    event = {**message, "type": "door_closed", "event_id": "e1", "compartment": 1, "occupied": "false"}
    assert protocol.schema_errors("event", protocol.sign(event, KEY))
    assert not protocol.schema_errors("event", protocol.sign({**event, "occupied": False}, KEY))


def test_signature_covers_every_field():
    message = command()
    assert protocol.verify(message, KEY)
    assert not protocol.verify({**message, "compartment": 2}, KEY)
    assert not protocol.verify(message, "other-key")
    assert not protocol.verify({key: value for key, value in message.items() if key != "sig"}, KEY)


def test_other_version_is_refused():
    with pytest.raises(protocol.InvalidMessage):
        protocol.decode(protocol.encode({**command(), "v": 1}))


def test_controller_messages_match_the_documented_schemas(schemas):
    controller = Controller(controller_id="c1", key=KEY, state=state_new(2))
    validate(schemas, "command", command())
    outgoing = controller.handle_command(protocol.encode(command()))
    outgoing += controller.handle_command(protocol.encode(command()))  # duplicate
    outgoing += controller.door_close(1, occupied=True)
    outgoing += controller.keypad_enter("0000")[1]
    outgoing += controller.handle_command(protocol.encode(command(controller="c2")))  # tamper
    outgoing += [controller.state_report(), controller.heartbeat(), controller.presence(online=False)]
    channels = {channel for channel, _ in outgoing}
    assert channels == {"ack", "event", "heartbeat", "presence"}
    for channel, message in outgoing:
        validate(schemas, channel, message)


def test_command_messages_of_the_bridge_match_the_schema(schemas, compartment, django_capture_on_commit_callbacks):
    from locker_bridge import services

    now = datetime.now(UTC)
    provision = services.pin_provision(
        compartment=compartment, pin="1234", valid_from=now, valid_until=now + timedelta(hours=1), reference="s1"
    )
    revoke = services.pin_revoke(compartment=compartment, reference="s2")
    opening = services.compartment_open(compartment=compartment, reason="Test", reference="s3")
    for item in (provision, revoke, opening):
        validate(schemas, "command", services.commands.command_message(command=item))


def test_pin_hash_never_contains_the_digits():
    assert "482913" not in protocol.pin_hash("482913", KEY)
    assert protocol.pin_hash("482913", KEY) != protocol.pin_hash("482913", "other")

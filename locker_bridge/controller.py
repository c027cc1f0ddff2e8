"""What a locker controller does with commands, keypad and doors: the reference behaviour.

Plain Python without Django. The ``simulated`` driver runs it in-process with
its state in the database; ``manage.py locker_simulator`` runs it over MQTT
with its state in a JSON file. A real controller must behave the same way
(docs/locker_protocol.md):

- refuse a command whose signature is wrong (no acknowledgement, a tamper event);
- answer ``expired`` after ``expires_at`` and never open then;
- answer ``duplicate`` (with the first result) for a ``command_id`` it has seen,
  so a door opens at most once per command;
- check PINs locally, so they keep working while the server is unreachable.
"""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from locker_bridge import protocol

Outgoing = tuple[str, dict[str, Any]]  # (channel, signed message)

# Keypad lockout (docs/locker_protocol.md): after 5 wrong PINs in a row, 30 s, then 2 min, then 10 min each time.
LOCKOUT_AFTER = 5
LOCKOUT_STEPS = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10))
LOCKOUT_FORGIVEN_AFTER = timedelta(hours=1)

RESULT_OF_TYPE = {"open": "opened", "pin_provision": "applied", "pin_revoke": "applied", "state_report": "applied"}


def _utc_now() -> datetime:
    return datetime.now(UTC)


def state_new(compartments: int, *, occupied: bool = False) -> dict[str, Any]:
    """A fresh controller: every door closed, every compartment empty (or all filled), no PINs."""
    return {
        "compartments": {
            str(number): {"door": "closed", "occupied": occupied, "jammed": False}
            for number in range(1, compartments + 1)
        },
        "pins": {},
        "seen": {},
        "switches": {"drop_acks": False, "delay_acks": False, "offline": False},
        "delayed": [],
    }


class Controller:
    """One controller's logic over a JSON-serialisable ``state`` dict it mutates in place."""

    def __init__(
        self, *, controller_id: str, key: str, state: dict[str, Any], clock: Callable[[], datetime] = _utc_now
    ):
        self.controller_id = controller_id
        self.state = state
        self.clock = clock
        self.key = key
        self._key_install(key)

    def _key_install(self, key: str) -> None:
        """Take a new key (docs/locker_protocol.md, "Key rotation").

        Commands and messages use the new key at once. PINs provisioned before
        were hashed under the old one, so the old key is kept for checking PINs
        only, until the last of those PINs has expired.
        """
        current = self.state.get("key")
        if current and current != key:
            untils = [pin["valid_until"] for pin in self.state["pins"].values()]
            if untils:
                until = max(untils, key=protocol.parse_timestamp)
                self.state.setdefault("retired_keys", []).append({"key": current, "until": until})
        self.state["key"] = key

    def _pin_hashes(self, pin: str, now: datetime) -> set[str]:
        """The PIN hashed under the current key and under every retired key that still has valid PINs."""
        retired = [
            entry for entry in self.state.get("retired_keys", []) if protocol.parse_timestamp(entry["until"]) >= now
        ]
        self.state["retired_keys"] = retired
        return {protocol.pin_hash(pin, key) for key in [self.key, *(entry["key"] for entry in retired)]}

    # -- outgoing messages ------------------------------------------------
    def _message(self, **fields: Any) -> dict[str, Any]:
        at = fields.pop("at", None) or protocol.timestamp(self.clock())
        return protocol.sign({"v": protocol.VERSION, "controller": self.controller_id, "at": at, **fields}, self.key)

    def _event(self, event_type: str, **fields: Any) -> Outgoing:
        return ("event", self._message(type=event_type, event_id=uuid.uuid4().hex, **fields))

    def _ack(self, command_id: str, result: str, reason: str = "", **fields: Any) -> list[Outgoing]:
        ack = ("ack", self._message(command_id=command_id, result=result, reason=reason, **fields))
        switches = self.state["switches"]
        if switches.get("drop_acks"):
            return []
        if switches.get("delay_acks"):
            self.state["delayed"].append(ack)
            return []
        return [ack]

    # -- liveness (docs/locker_protocol.md, "Heartbeat and presence") ---------
    def boot_new(self) -> None:
        """The controller (re)started: a new boot id, and the liveness counter starts again at 0."""
        self.state["boot"], self.state["seq"], self.state["connection"] = uuid.uuid4().hex[:16], 0, 0

    def _next_seq(self) -> int:
        if "boot" not in self.state:
            self.boot_new()
        self.state["seq"] += 1
        return self.state["seq"]

    def heartbeat(self) -> Outgoing:
        """Signed time, boot id and counter: a recorded heartbeat replayed later proves nothing."""
        seq = self._next_seq()
        return ("heartbeat", self._message(boot=self.state["boot"], seq=seq))

    def connection_new(self) -> tuple[Outgoing, Outgoing]:
        """Before each (re)connect: the ``online: true`` presence of the new connection and its last will.

        The will names the connection it ends (the presence's ``seq``), so a
        will recorded from an earlier connection, replayed, is ignored.
        """
        seq = self._next_seq()
        self.state["connection"] = seq
        boot = self.state["boot"]
        online = ("presence", self._message(online=True, boot=boot, seq=seq))
        will = ("presence", self._message(online=False, boot=boot, connection=seq))
        return online, will

    def presence(self, *, online: bool) -> Outgoing:
        """``online: true`` starts a new connection; ``online: false`` is the will of the current one."""
        if online:
            return self.connection_new()[0]
        if "boot" not in self.state:
            self.boot_new()
        return ("presence", self._message(online=False, boot=self.state["boot"], connection=self.state["connection"]))

    def state_report(self) -> Outgoing:
        """Doors, sensors and the ids (never the hashes) of the PINs held, so the bridge can converge."""
        self._forget_expired_pins(self.clock())
        compartments = [
            {"number": int(number), "door": data["door"], "occupied": data["occupied"]}
            | ({"changed_at": data["changed_at"]} if data.get("changed_at") else {})
            for number, data in sorted(self.state["compartments"].items(), key=lambda item: int(item[0]))
        ]
        return self._event("state_report", compartments=compartments, pins=sorted(self.state["pins"]))

    def _forget_expired_pins(self, now: datetime) -> None:
        """A PIN is dropped at its ``valid_until`` by the controller itself, whether or not a revoke arrives."""
        pins = self.state["pins"]
        for pin_id in [key for key, data in pins.items() if protocol.parse_timestamp(data["valid_until"]) < now]:
            del pins[pin_id]

    def release_delayed(self) -> list[Outgoing]:
        delayed, self.state["delayed"] = self.state["delayed"], []
        return [(channel, message) for channel, message in delayed]

    # -- commands ------------------------------------------------------------
    def handle_command(self, payload: bytes | str) -> list[Outgoing]:
        """Check, deduplicate and execute one command; return the acknowledgement and events."""
        try:
            message = protocol.decode(payload)
        except protocol.InvalidMessage as error:
            return [self._event("tamper", reason=f"invalid command: {error}"[:200])]
        if not protocol.verify(message, self.key) or message.get("controller") != self.controller_id:
            # No acknowledgement: a forged command must not be able to settle a real command id.
            return [self._event("tamper", reason="bad signature")]
        errors = protocol.schema_errors("cmd", message)
        if errors:
            # Signed, so it really is from the bridge: settle it, so it is never redelivered or retried.
            command_id = message.get("command_id")
            command_id = command_id if isinstance(command_id, str) and 0 < len(command_id) <= 36 else "invalid"
            return self._ack(command_id, "rejected", f"invalid command: {errors[0]}"[:200])
        command_id = str(message.get("command_id", ""))
        now = self.clock()
        self._forget_expired(now)
        self._forget_expired_pins(now)
        seen = self.state["seen"].get(command_id)
        if seen is not None:
            return self._ack(command_id, "duplicate", "already handled", original_result=seen["result"])
        expires_at = protocol.parse_timestamp(message["expires_at"])
        if now >= expires_at:
            result, reason, events = "expired", "expires_at has passed", []
        else:
            result, reason, events = self._execute(message)
        self.state["seen"][command_id] = {"result": result, "expires_at": message["expires_at"]}
        return [*self._ack(command_id, result, reason), *events]

    def _forget_expired(self, now: datetime) -> None:
        """A command id only needs remembering until it expires: after that it is refused anyway."""
        seen = self.state["seen"]
        for command_id in [key for key, value in seen.items() if protocol.parse_timestamp(value["expires_at"]) < now]:
            del seen[command_id]

    def _execute(self, message: dict[str, Any]) -> tuple[str, str, list[Outgoing]]:
        command_type = message.get("type")
        if command_type == "state_report":
            return "applied", "", [self.state_report()]
        compartment = self.state["compartments"].get(str(message.get("compartment")))
        if compartment is None:
            return "rejected", "unknown compartment", []
        if command_type == "open":
            if compartment["jammed"]:
                return "failed", "latch did not release", []
            return (
                "opened",
                "",
                self._door_open(int(message["compartment"]), via="command", command_id=message["command_id"]),
            )
        if command_type == "pin_provision":
            self.state["pins"][message["pin_id"]] = {
                "compartment": int(message["compartment"]),
                "hash": message["pin_hash"],
                "valid_from": message["valid_from"],
                "valid_until": message["valid_until"],
            }
            return "applied", "", []
        if command_type == "pin_revoke":
            for pin_id in message.get("pin_ids", []):
                self.state["pins"].pop(pin_id, None)
            return "applied", "", []
        return "rejected", f"unknown command type {command_type!r}", []

    # -- keypad and doors ------------------------------------------------------
    def keypad_enter(self, pin: str) -> tuple[int | None, list[Outgoing]]:
        """Check a PIN locally; open its compartment when it is valid right now.

        After ``LOCKOUT_AFTER`` wrong PINs in a row the keypad locks for a
        growing time (``LOCKOUT_STEPS``) and reports ``keypad_locked``; while
        locked it checks nothing, not even the right PIN (docs/locker_protocol.md,
        "Keypad lockout").
        """
        now = self.clock()
        keypad = self._keypad(now)
        if keypad["locked_until"] and now < protocol.parse_timestamp(keypad["locked_until"]):
            return None, []
        self._forget_expired_pins(now)
        entered = self._pin_hashes(pin, now)
        for pin_id, data in self.state["pins"].items():
            valid = protocol.parse_timestamp(data["valid_from"]) <= now <= protocol.parse_timestamp(data["valid_until"])
            if valid and data["hash"] in entered:
                keypad.update(failures=0, lockouts=0, locked_until=None)
                number = data["compartment"]
                used = self._event("pin_used", compartment=number, pin_id=pin_id)
                if self.state["compartments"][str(number)]["jammed"]:
                    return None, [used]
                return number, [used, *self._door_open(number, via="pin", pin_id=pin_id)]
        return None, [self._event("pin_wrong"), *self._keypad_failure(keypad, now)]

    def _keypad(self, now: datetime) -> dict[str, Any]:
        keypad = self.state.setdefault(
            "keypad", {"failures": 0, "lockouts": 0, "locked_until": None, "last_failure": None}
        )
        last = keypad.get("last_failure")
        if last and now - protocol.parse_timestamp(last) > LOCKOUT_FORGIVEN_AFTER:
            keypad.update(failures=0, lockouts=0)  # a quiet hour: the next lockout starts short again
        return keypad

    def _keypad_failure(self, keypad: dict[str, Any], now: datetime) -> list[Outgoing]:
        keypad["failures"] += 1
        keypad["last_failure"] = protocol.timestamp(now)
        if keypad["failures"] < LOCKOUT_AFTER:
            return []
        step = LOCKOUT_STEPS[min(keypad["lockouts"], len(LOCKOUT_STEPS) - 1)]
        failures, keypad["failures"] = keypad["failures"], 0
        keypad["lockouts"] += 1
        keypad["locked_until"] = protocol.timestamp(now + step)
        return [self._event("keypad_locked", failures=failures, locked_until=keypad["locked_until"])]

    def _door_changed(self, compartment: dict[str, Any]) -> str:
        """The moment of a door change, kept for the state report: the event of the change carries
        the same ``at``, so the bridge can tell a report ahead of its events from a lost event."""
        compartment["changed_at"] = protocol.timestamp(self.clock())
        return compartment["changed_at"]

    def _door_open(self, number: int, *, via: str, **fields: Any) -> list[Outgoing]:
        compartment = self.state["compartments"][str(number)]
        compartment["door"] = "open"
        at = self._door_changed(compartment)
        return [self._event("door_opened", compartment=number, via=via, at=at, **fields)]

    def door_open(self, number: int) -> list[Outgoing]:
        """Someone opened the door with the service key (or the latch was already released)."""
        return self._door_open(number, via="key")

    def door_close(self, number: int, *, occupied: bool) -> list[Outgoing]:
        compartment = self.state["compartments"][str(number)]
        compartment["door"], compartment["occupied"] = "closed", occupied
        at = self._door_changed(compartment)
        return [self._event("door_closed", compartment=number, occupied=occupied, at=at)]

    def jam(self, number: int, *, jammed: bool = True) -> None:
        self.state["compartments"][str(number)]["jammed"] = jammed

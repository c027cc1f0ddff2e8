"""A locker controller over MQTT: ``manage.py locker_simulator``, CI's fault tests and demos.

It runs the reference logic (``locker_bridge.controller``) like hardware would:
a persistent MQTT 5 session and a retained presence with a last will, a
heartbeat, local PIN checks, deduplication, and its state (PINs, doors, seen
command ids, unsent events) in a JSON file so it survives restarts.

Switches for fault tests and demos: drop or delay acknowledgements, go offline
(the broker publishes the last will), jam a door. A dev-only control topic
``<prefix>/<controller>/sim`` accepts the same actions as JSON, so the
simulator page and scripts can drive it; a real controller has no such topic.
"""

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from paho.mqtt.client import Client, MQTTErrorCode, MQTTMessage
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from locker_bridge import protocol
from locker_bridge.bridge import SESSION_EXPIRY_SECONDS, Backoff
from locker_bridge.controller import Controller, Outgoing, state_new
from locker_bridge.drivers.mqtt import TlsFiles, client_new

logger = logging.getLogger(__name__)


class MqttSimulator:
    def __init__(
        self,
        *,
        url: str,
        prefix: str,
        controller_id: str,
        key: str,
        compartments: int = 12,
        occupied: bool = False,
        state_file: Path | None = None,
        heartbeat_seconds: float = 30.0,
        tls: TlsFiles | None = None,
        session_expiry: int = SESSION_EXPIRY_SECONDS,
        client_id: str = "",
    ):
        self.prefix, self.controller_id, self.session_expiry = prefix, controller_id, session_expiry
        self.state_file = state_file
        self.heartbeat_seconds = heartbeat_seconds
        state = self._load() or state_new(compartments, occupied=occupied)
        state.setdefault("outbox", [])
        self.controller = Controller(controller_id=controller_id, key=key, state=state)
        self.controller.boot_new()  # a process start is a boot: liveness counters start again
        self.client, self.address = client_new(url=url, client_id=client_id or f"locker-{controller_id}", tls=tls)
        self.online_message: dict[str, Any] = {}
        self.will_message: dict[str, Any] = {}
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.connected = self.connecting = self.ever_connected = False
        self.offline = self.offline_requested = False
        self.backoff = Backoff()
        self.last_heartbeat: float | None = None  # None: due now
        self.opened_by_command: list[str] = []  # command ids whose latch this controller released
        self.ack_results: list[str] = []
        self.commands_handled = 0  # every acknowledgement result it produced, in order

    # -- persistence -----------------------------------------------------------
    def _load(self) -> dict[str, Any] | None:
        if self.state_file is None or not self.state_file.exists():
            return None
        return json.loads(self.state_file.read_text())

    def save(self) -> None:
        if self.state_file is None:
            return
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.state_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.controller.state))
        os.replace(temporary, self.state_file)

    @property
    def state(self) -> dict[str, Any]:
        return self.controller.state

    def _topic(self, channel: str) -> str:
        return protocol.topic(self.prefix, self.controller_id, channel)

    # -- connection ------------------------------------------------------------------
    def _will_prepare(self) -> None:
        """A fresh presence and last will for each connection attempt (the will names its connection)."""
        (_channel, self.online_message), (channel, self.will_message) = self.controller.connection_new()
        self.client.will_set(self._topic(channel), protocol.encode(self.will_message), qos=1, retain=True)

    def connect(self) -> None:
        self._will_prepare()
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = self.session_expiry
        try:
            if self.ever_connected:
                result = self.client.reconnect()
            else:
                result = self.client.connect(
                    self.address.host, self.address.port, keepalive=30, clean_start=False, properties=properties
                )
        except OSError:
            self.backoff.failed()
            return
        self.ever_connected = True
        if result == MQTTErrorCode.MQTT_ERR_SUCCESS:
            self.connecting = True
        else:
            self.backoff.failed()

    def _on_connect(self, client: Client, userdata, flags, reason_code, properties) -> None:
        self.connecting = False
        if reason_code.is_failure:
            self.backoff.failed()
            return
        self.connected = True
        self.backoff.reset()
        client.subscribe(self._topic("cmd"), qos=1)
        client.subscribe(self._topic("sim"), qos=1)
        outbox, self.state["outbox"] = self.state["outbox"], []
        self._publish([("presence", self.online_message), *[tuple(item) for item in outbox]])
        self._publish([self.controller.state_report()])
        self.save()

    def _on_disconnect(self, client: Client, userdata, flags, reason_code, properties) -> None:
        self.connected = False

    def _publish(self, outgoing: list[Outgoing]) -> None:
        for channel, message in outgoing:
            if not self.connected:
                self.state["outbox"].append([channel, message])
                continue
            retain = channel == "presence"
            self.client.publish(self._topic(channel), protocol.encode(message), qos=1, retain=retain)

    # -- messages ----------------------------------------------------------------------
    def _on_message(self, client: Client, userdata, message: MQTTMessage) -> None:
        """Never raises: paho acknowledges (PUBACK) only after this returns, and a message that
        crashed the controller would be redelivered, and crash it again, on every restart."""
        try:
            self._handle(message)
        except Exception:
            logger.exception("Dropped a message on %s that the controller could not handle", message.topic)

    def _handle(self, message: MQTTMessage) -> None:
        channel = message.topic.rsplit("/", 1)[-1]
        if channel == "cmd":
            outgoing = self.controller.handle_command(message.payload)
            self.commands_handled += 1
            self.ack_results.extend(item[1]["result"] for item in outgoing if item[0] == "ack")
            self.opened_by_command.extend(
                item[1]["command_id"] for item in outgoing if item[0] == "event" and item[1]["type"] == "door_opened"
            )
            self._publish(outgoing)
            self.save()
        elif channel == "sim":
            try:
                self.control(json.loads(message.payload))
            except (ValueError, KeyError, TypeError) as error:
                logger.warning("Ignored a simulator control message: %s", error)

    def control(self, action: dict[str, Any]) -> Any:
        """Run one simulator action (the control topic and the command line use the same names)."""
        name = action["action"]
        handlers = {
            "keypad": lambda: self.keypad(str(action["pin"])),
            "door_open": lambda: self.door_open(int(action["compartment"])),
            "door_close": lambda: self.door_close(int(action["compartment"]), occupied=bool(action["occupied"])),
            "jam": lambda: self.jam(int(action["compartment"]), jammed=bool(action.get("jammed", True))),
            "acks": lambda: self.acks(drop=bool(action.get("drop")), delay=bool(action.get("delay"))),
            "acks_release": self.acks_release,
            # Not inside a paho callback: disconnecting there would deadlock on paho's callback lock.
            "offline": self.go_offline_soon,
            "online": self.go_online,
        }
        return handlers[name]()

    # -- hardware ------------------------------------------------------------------------
    def keypad(self, pin: str) -> int | None:
        number, outgoing = self.controller.keypad_enter(pin)
        self._publish(outgoing)
        self.save()
        return number

    def door_open(self, number: int) -> None:
        self._publish(self.controller.door_open(number))
        self.save()

    def door_close(self, number: int, *, occupied: bool) -> None:
        self._publish(self.controller.door_close(number, occupied=occupied))
        self.save()

    def jam(self, number: int, *, jammed: bool = True) -> None:
        self.controller.jam(number, jammed=jammed)
        self.save()

    def acks(self, *, drop: bool = False, delay: bool = False) -> None:
        self.state["switches"].update(drop_acks=drop, delay_acks=delay)
        self.save()

    def acks_release(self) -> None:
        self._publish(self.controller.release_delayed())
        self.save()

    def go_offline_soon(self) -> None:
        """Go offline at the next ``poll``, outside paho's callbacks (the control topic's switch)."""
        self.offline_requested = True

    def go_offline(self) -> None:
        """Drop off the network as a power cut would: the broker publishes the last will."""
        self.offline = True
        if self.connected:
            self.client.disconnect(reasoncode=ReasonCode(PacketTypes.DISCONNECT, "Disconnect with will message"))
            self.client.loop(timeout=0.05)
        self.connected = self.connecting = False

    def go_online(self) -> None:
        self.offline = self.offline_requested = False
        self.backoff.reset()

    # -- the loop ----------------------------------------------------------------------------
    def poll(self, timeout: float = 0.1) -> None:
        if self.offline_requested:
            self.offline_requested = False
            self.go_offline()
        if not self.offline and not (self.connected or self.connecting) and self.backoff.due():
            self.connect()
        if self.connected or self.connecting:
            if self.client.loop(timeout=timeout) != MQTTErrorCode.MQTT_ERR_SUCCESS:
                self.connected = self.connecting = False
                self.backoff.failed()
        else:
            time.sleep(timeout)  # offline or waiting for the reconnect backoff
        if self.connected and (
            self.last_heartbeat is None or time.monotonic() - self.last_heartbeat >= self.heartbeat_seconds
        ):
            self.last_heartbeat = time.monotonic()
            self._publish([self.controller.heartbeat()])

    def close(self) -> None:
        if self.connected:
            self.client.disconnect()
            self.client.loop(timeout=0.05)
        self.connected = False
        self.save()

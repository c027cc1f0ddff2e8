"""The ``simulated`` driver: the reference controller logic in-process, its state in the database.

Messages still go through signing, verification and ingestion exactly as over
MQTT; only the network is missing. While a simulated controller is switched
offline, commands wait in its inbox the way a broker queues them for a
persistent session, and are delivered (and refused if expired) when it returns.
"""

from typing import Any

from django.db import transaction

from locker_bridge import protocol
from locker_bridge.controller import Controller, Outgoing, state_new
from locker_bridge.models import Command, Locker, SimulatedController


def simulation_lock(locker: Locker) -> SimulatedController:
    """The locker's simulated hardware, row-locked for the current transaction.

    Compartments the hardware does not know yet start as the bridge last saw
    them, so a fresh simulation agrees with the database.
    """
    simulation, _created = SimulatedController.objects.get_or_create(locker=locker, defaults={"state": state_new(0)})
    simulation = SimulatedController.objects.select_for_update().get(pk=simulation.pk)
    simulation.state.setdefault("inbox", [])
    hardware = simulation.state["compartments"]
    for number, door, occupied in locker.compartments.values_list("number", "door_state", "is_occupied"):
        hardware.setdefault(str(number), {"door": door, "occupied": occupied, "jammed": False})
    return simulation


def controller_of(simulation: SimulatedController, *, key: str = "") -> Controller:
    """The simulated controller with the key it holds: the one it was given, like hardware.

    A fresh simulation starts with the key the bridge signs with; after a key
    rotation it keeps the old key until ``simulator_key_install``, as a real
    controller does until a technician installs the new one.
    """
    from locker_bridge.services.keys import locker_signing_key

    locker = simulation.locker
    key = key or simulation.state.get("key") or locker_signing_key(locker=locker)
    return Controller(controller_id=locker.controller_id, key=key, state=simulation.state)


def deliver(locker: Locker, outgoing: list[Outgoing]) -> None:
    """Hand the controller's messages to ingestion, as the bridge process does for MQTT."""
    from locker_bridge.services.ingestion import message_receive

    for channel, message in outgoing:
        message_receive(locker=locker, channel=channel, payload=protocol.encode(message))


class SimulatedDriver:
    def command_send(self, *, command: Command, message: dict[str, Any]) -> bool:
        locker = command.locker
        with transaction.atomic():
            simulation = simulation_lock(locker)
            if simulation.state["switches"].get("offline"):
                simulation.state["inbox"].append(message)
                simulation.save(update_fields=["state"])
                return True
            outgoing = controller_of(simulation).handle_command(protocol.encode(message))
            simulation.save(update_fields=["state"])
            deliver(locker, outgoing)
        return True

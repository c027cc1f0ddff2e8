"""Drive simulated controllers: keypad, doors, switches (the "Schließfach-Simulator").

Only meaningful with ``LOCKER_DRIVER = "simulated"``; used by the simulator page
in dev and demo, by tests, and by the periodic task for heartbeats. While a
controller is switched offline, its events wait in an outbox and are sent when
it comes back, as a real controller does.
"""

from django.db import transaction

from locker_bridge import protocol
from locker_bridge.controller import Outgoing
from locker_bridge.drivers.simulated import controller_of, deliver, simulation_lock
from locker_bridge.models import Compartment, Locker, SimulatedController


def _emit(simulation: SimulatedController, outgoing: list[Outgoing]) -> None:
    if simulation.state["switches"].get("offline"):
        simulation.state.setdefault("outbox", []).extend(outgoing)
        simulation.save(update_fields=["state"])
        return
    simulation.save(update_fields=["state"])
    deliver(simulation.locker, outgoing)


def simulator_keypad_enter(*, locker: Locker, pin: str) -> int | None:
    """Type a PIN on the keypad; returns the number of the compartment that opened, or None."""
    with transaction.atomic():
        simulation = simulation_lock(locker)
        number, outgoing = controller_of(simulation).keypad_enter(pin)
        _emit(simulation, outgoing)
    return number


def simulator_door_open(*, compartment: Compartment) -> None:
    """Open a door with the service key (no PIN, no command)."""
    with transaction.atomic():
        simulation = simulation_lock(compartment.locker)
        _emit(simulation, controller_of(simulation).door_open(compartment.number))


def simulator_door_close(*, compartment: Compartment, occupied: bool) -> None:
    """Close a door; ``occupied`` is what the sensor sees (item put back or taken out)."""
    with transaction.atomic():
        simulation = simulation_lock(compartment.locker)
        _emit(simulation, controller_of(simulation).door_close(compartment.number, occupied=occupied))


def simulator_jam(*, compartment: Compartment, jammed: bool) -> None:
    """Jam a latch: open commands fail and PINs no longer open that door."""
    with transaction.atomic():
        simulation = simulation_lock(compartment.locker)
        controller_of(simulation).jam(compartment.number, jammed=jammed)
        simulation.save(update_fields=["state"])


def simulator_acks_set(*, locker: Locker, drop: bool = False, delay: bool = False) -> None:
    """Drop acknowledgements (lost on the way) or hold them back until ``simulator_acks_release``."""
    with transaction.atomic():
        simulation = simulation_lock(locker)
        simulation.state["switches"].update(drop_acks=drop, delay_acks=delay)
        simulation.save(update_fields=["state"])


def simulator_acks_release(*, locker: Locker) -> None:
    with transaction.atomic():
        simulation = simulation_lock(locker)
        _emit(simulation, controller_of(simulation).release_delayed())


def simulator_offline_set(*, locker: Locker, offline: bool) -> None:
    """Take a controller off the network (its last will says offline) or bring it back.

    Coming back, it announces itself, sends what it queued, receives the
    commands that waited for it (refusing expired ones) and reports its state.
    """
    with transaction.atomic():
        simulation = simulation_lock(locker)
        controller = controller_of(simulation)
        if offline:
            simulation.state["switches"]["offline"] = True
            simulation.save(update_fields=["state"])
            deliver(locker, [controller.presence(online=False)])
            return
        simulation.state["switches"]["offline"] = False
        outbox, simulation.state["outbox"] = simulation.state.get("outbox", []), []
        inbox, simulation.state["inbox"] = simulation.state.get("inbox", []), []
        outgoing = [controller.presence(online=True), *[(channel, message) for channel, message in outbox]]
        for message in inbox:
            outgoing.extend(controller.handle_command(protocol.encode(message)))
        outgoing.append(controller.state_report())
        simulation.save(update_fields=["state"])
        deliver(locker, outgoing)


def simulator_heartbeats() -> None:
    """Every online simulated controller sends a heartbeat (called by the periodic task)."""
    for locker in Locker.objects.all():
        with transaction.atomic():
            simulation = simulation_lock(locker)
            if not simulation.state["switches"].get("offline"):
                simulation.save(update_fields=["state"])
                deliver(locker, [controller_of(simulation).heartbeat()])


def simulator_key_install(*, locker: Locker) -> None:
    """A technician installs the locker's current key on the simulated controller, which then checks in.

    Its heartbeat, signed with the new key, ends the rotation's grace period
    (``locker_key_rotate``).
    """
    with transaction.atomic():
        simulation = simulation_lock(locker)
        controller = controller_of(simulation, key=Locker.objects.get(pk=locker.pk).secret_key)
        _emit(simulation, [controller.heartbeat()])

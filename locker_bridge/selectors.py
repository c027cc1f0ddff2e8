"""Reads of the locker bridge, for rentals, the admin status page and the simulator page."""

from datetime import timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from locker_bridge.models import Alert, Command, Compartment, Locker, Pin


def compartment_is_usable(*, compartment: Compartment) -> bool:
    """May rentals hand this compartment out for immediate pickup or return right now?

    Not while its controller is offline, its state is unknown (not yet
    reconciled), or staff took it out of service.
    """
    compartment = Compartment.objects.select_related("locker").get(pk=compartment.pk)
    return compartment.in_service and not compartment.state_unknown and compartment.locker.is_online


def compartments_usable(*, locker: Locker | None = None) -> QuerySet[Compartment]:
    """The compartments for which ``compartment_is_usable`` holds, as one query."""
    compartments = Compartment.objects.filter(in_service=True, state_unknown=False, locker__is_online=True)
    if locker is not None:
        compartments = compartments.filter(locker=locker)
    return compartments.select_related("locker")


def command_by_reference(*, reference: str) -> Command | None:
    return Command.objects.filter(reference=reference).first()


def lockers_with_compartments() -> QuerySet[Locker]:
    return Locker.objects.prefetch_related(Prefetch("compartments", queryset=Compartment.objects.order_by("number")))


def commands_recent(*, limit: int = 50, since: timedelta = timedelta(days=2)) -> QuerySet[Command]:
    return Command.objects.filter(created_at__gte=timezone.now() - since).select_related("locker", "compartment")[
        :limit
    ]


def alerts_open() -> QuerySet[Alert]:
    return Alert.objects.filter(acknowledged_at__isnull=True).select_related("locker", "compartment")


def alerts_recently_acknowledged(*, limit: int = 20) -> QuerySet[Alert]:
    return (
        Alert.objects.filter(acknowledged_at__isnull=False)
        .select_related("locker", "compartment", "acknowledged_by")
        .order_by("-acknowledged_at")[:limit]
    )


def simulator_overview() -> list[dict]:
    """Every locker with its compartments as the bridge sees them and as the simulated hardware is."""
    from locker_bridge.models import SimulatedController

    states = {simulation.locker_id: simulation.state for simulation in SimulatedController.objects.all()}
    overview = []
    for locker in lockers_with_compartments():
        state = states.get(locker.pk, {})
        hardware = state.get("compartments", {})
        switches = state.get("switches", {})
        overview.append(
            {
                "locker": locker,
                "offline": bool(switches.get("offline")),
                "drop_acks": bool(switches.get("drop_acks")),
                "delay_acks": bool(switches.get("delay_acks")),
                "delayed": len(state.get("delayed", [])),
                "compartments": [
                    {
                        "compartment": compartment,
                        "jammed": bool(hardware.get(str(compartment.number), {}).get("jammed")),
                    }
                    for compartment in locker.compartments.all()
                ],
            }
        )
    return overview


def pin_state(*, reference: str) -> str:
    """Where the PIN provisioned under ``reference`` stands on its controller (docs/locker_bridge.md).

    ``confirmed``: the controller holds it; ``pending``: not yet confirmed, the
    bridge keeps sending it; ``none``: no such PIN, or it was revoked.
    """
    pin = Pin.objects.filter(provision__reference=reference).only("applied_at", "revoked_at").first()
    if pin is None or pin.revoked_at is not None:
        return "none"
    return "confirmed" if pin.applied_at is not None else "pending"


def pins_pending_references(*, references: list[str]) -> set[str]:
    """Of these provision references, those whose PIN the controller has not confirmed yet (one query)."""
    return set(
        Pin.objects.filter(
            provision__reference__in=references, revoked_at__isnull=True, applied_at__isnull=True
        ).values_list("provision__reference", flat=True)
    )


def open_latest(*, reference_prefix: str) -> Command | None:
    """The newest open command whose reference starts with ``reference_prefix`` (a reservation's openings)."""
    return (
        Command.objects.filter(kind=Command.Kind.OPEN, reference__startswith=reference_prefix)
        .order_by("-created_at")
        .first()
    )

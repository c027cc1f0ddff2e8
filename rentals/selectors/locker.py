"""What the locker did with a reservation's PIN and openings, for the citizen's page and the staff board."""

from dataclasses import dataclass

from locker_bridge import selectors as locker_selectors
from rentals.models import AccessLogEntry, Reservation

OPEN_FAILED_STATES = frozenset({"failed", "rejected", "expired"})


@dataclass(frozen=True)
class LockerStatus:
    """``pin``: ``confirmed``, ``pending`` (not yet on the controller) or ``none``.

    ``opening``: the newest "Fach öffnen" of this reservation: ``pending``
    (on its way), ``opened``, ``failed`` (it did not open: jammed, refused or no
    answer in time) or ``""`` (never pressed).
    """

    pin: str
    opening: str
    reason: str = ""

    @property
    def is_waiting(self) -> bool:
        """Something is still on its way: the page asks again shortly."""
        return self.pin == "pending" or self.opening == "pending"


def reservation_locker_status(*, reservation: Reservation) -> LockerStatus:
    """The PIN's and the last opening's state; an opening failure only matters while the item is still inside."""
    if not reservation.is_active or reservation.item.home_compartment_id is None:
        return LockerStatus(pin="none", opening="")
    pin = locker_selectors.pin_state(reference=f"{reservation.reference}-pin")
    command = locker_selectors.open_latest(reference_prefix=f"{reservation.reference}-open-")
    if command is None:
        return LockerStatus(pin=pin, opening="")
    if not command.is_finished:
        return LockerStatus(pin=pin, opening="pending")
    if command.state in OPEN_FAILED_STATES and reservation.state == Reservation.State.RESERVED:
        return LockerStatus(pin=pin, opening="failed", reason=command.state)
    return LockerStatus(pin=pin, opening="opened" if command.state == "opened" else "")


def reservations_pin_pending(*, reservations: list[Reservation]) -> list[Reservation]:
    """Of these reservations, those whose PIN the locker has not confirmed yet (one query)."""
    references = {f"{reservation.reference}-pin": reservation for reservation in reservations}
    pending = locker_selectors.pins_pending_references(references=list(references))
    return [reservation for reference, reservation in references.items() if reference in pending]


def opens_failed_today(*, since) -> list[AccessLogEntry]:
    """Openings that did not happen since ``since``, for reservations still waiting for pickup."""
    return list(
        AccessLogEntry.objects.filter(
            kind=AccessLogEntry.Kind.OPEN_FAILED, at__gte=since, reservation__state=Reservation.State.RESERVED
        )
        .select_related("reservation__item__item_type", "reservation__user")
        .order_by("-at")
    )

"""Why a rentals write was refused, in words a citizen understands."""

import datetime


class RentalsError(Exception):
    """A write that was refused; ``message`` is a German gettext string for the citizen."""

    code = "refused"

    def __init__(self, message, *, field: str = "non_field_errors"):
        super().__init__(str(message))
        self.message = message
        self.field = field


class ReservationRefused(RentalsError):
    """The rules do not allow this reservation (past, too long, outside opening hours, …)."""

    code = "rules"


class SlotTaken(RentalsError):
    """Every item of the type is already booked: "schon vergeben", with the nearest alternatives."""

    code = "taken"

    def __init__(self, message, *, alternatives: list[tuple[datetime.datetime, datetime.datetime]]):
        super().__init__(message, field="starts_at")
        self.alternatives = alternatives


class ForbiddenTransition(RentalsError):
    """The state machine does not allow this step (e.g. cancelling a returned reservation)."""

    code = "state"


class OpenNotAllowed(RentalsError):
    """Remote opening outside the reservation's window."""

    code = "window"

"""The push protocols: one module per platform, all behind the same small interface.

Each sender takes a list of :class:`PushTarget` and returns one
:class:`PushResult` per target. Senders never touch the database; the fan-out
service (``notifications.services.fanout``) records the outcomes.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PushTarget:
    """One device to reach. ``key`` is the delivery id the outcome belongs to."""

    key: int
    token: str
    payload: dict
    urgent: bool = False
    p256dh: str = ""
    auth: str = ""


@dataclass
class PushResult:
    """What happened to one target.

    ``outcome`` is "sent", "transient" (try again later, after ``retry_after``
    seconds when the service said so) or "permanent". ``deactivate`` is set only
    when the service said the device is gone (404/410, UNREGISTERED).
    """

    key: int
    outcome: str
    error: str = ""
    deactivate: bool = False
    retry_after: float | None = field(default=None)


SENT = "sent"
TRANSIENT = "transient"
PERMANENT = "permanent"

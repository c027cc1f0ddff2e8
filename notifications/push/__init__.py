"""The push protocols: one module per platform, all behind the same small interface.

Each sender takes a list of :class:`PushTarget` and returns one
:class:`PushResult` per target. Senders never touch the database; the fan-out
service (``notifications.services.fanout``) records the outcomes.
"""

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


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
    seconds when the service said so), "permanent" or "skipped" (the platform
    is not configured, so nothing was tried). ``deactivate`` is set only
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
SKIPPED = "skipped"


def unexpected_failure(*, target: PushTarget, error: BaseException) -> PushResult:
    """An error no sender foresaw: a transient outcome for this device alone (retried later)."""
    logger.error("Push to delivery %s failed unexpectedly", target.key, exc_info=error)
    return PushResult(key=target.key, outcome=TRANSIENT, error=f"{type(error).__name__}: {error}"[:200])


def platform_failure(*, targets: Sequence[PushTarget], error: BaseException) -> list[PushResult]:
    """A sender that could not even start (credentials unreadable, client setup failed): nothing was sent."""
    return [unexpected_failure(target=target, error=error) for target in targets]


async def outcomes_gather(targets: Sequence[PushTarget], sends: Sequence[Awaitable[PushResult]]) -> list[PushResult]:
    """Run one send per target concurrently; one result per target, whatever happens.

    One device's unexpected error must not discard the other outcomes of its window:
    unrecorded sends would be sent again once the claim lease runs out.
    """
    answers = await asyncio.gather(*sends, return_exceptions=True)
    return [
        answer if isinstance(answer, PushResult) else unexpected_failure(target=target, error=answer)
        for target, answer in zip(targets, answers, strict=True)
    ]

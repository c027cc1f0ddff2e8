"""The bridge's intake: every message is checked in memory, rate-limited per controller and queued, bounded.

A controller's credentials (or broken firmware) can flood its topics, and the
bridge must keep reading its session faster than anyone can publish, or the
broker's queue for it overflows and legitimate events are lost
(docs/locker_bridge.md, "Floods"). So nothing here touches the database:

1. the topic names a known controller (the bridge's cached ``Locker`` rows);
2. ``ingestion.message_verified``: bounded decoding, schema, controller id, signature;
3. a token bucket per controller and kind (acknowledgements have their own, so
   a flood of events never starves the answers to commands);
4. a bounded queue in front of the database; the bridge stores it in batches.

What fails a step is dropped and counted per controller and reason; the
bridge adds the counts to ``Locker.messages_dropped`` and alerts staff.
"""

import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from locker_bridge.models import Locker
from locker_bridge.services.ingestion import message_verified

RATE_PER_SECOND = 20.0
BURST = 500
QUEUE_LIMIT = 5000
UNKNOWN_CONTROLLER = "?"


class Drop(StrEnum):
    INVALID = "invalid"  # does not decode, fails its schema, names another controller or is badly signed
    RATE = "rate"  # well signed, but beyond the controller's rate limit
    QUEUE = "queue"  # well signed, within the limit, but the queue in front of the database is full


class TokenBucket:
    """``rate`` tokens a second, at most ``burst`` saved up; every admitted message takes one."""

    def __init__(self, *, rate: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens = float(burst)
        self.updated = clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(float(self.burst), self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


@dataclass(frozen=True)
class Admitted:
    """A verified message waiting for the database."""

    locker_pk: int
    controller_id: str
    channel: str
    message: dict[str, Any]
    key: str
    received_at: datetime | None = None  # when the bridge read it off the socket
    straight_through: bool = True  # False: it may have waited at the broker while the bridge was away


class Intake:
    def __init__(
        self,
        *,
        rate: float = RATE_PER_SECOND,
        burst: int = BURST,
        queue_limit: int = QUEUE_LIMIT,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.rate, self.burst, self.queue_limit, self.clock = rate, burst, queue_limit, clock
        self.queue: deque[Admitted] = deque()
        self.buckets: dict[tuple[str, bool], TokenBucket] = {}
        self.dropped: Counter[tuple[str, Drop]] = Counter()

    def offer(
        self,
        *,
        locker: Locker | None,
        channel: str,
        payload: bytes | str,
        received_at: datetime | None = None,
        straight_through: bool = True,
    ) -> bool:
        """Queue the message if it verifies and its controller is within its limits; else count the drop."""
        if locker is None:
            self.dropped[UNKNOWN_CONTROLLER, Drop.INVALID] += 1
            return False
        verified = message_verified(locker=locker, channel=channel, payload=payload)
        if verified is None:
            return self._drop(locker, Drop.INVALID)
        bucket_key = (locker.controller_id, channel == "ack")
        bucket = self.buckets.get(bucket_key)
        if bucket is None:
            bucket = self.buckets[bucket_key] = TokenBucket(rate=self.rate, burst=self.burst, clock=self.clock)
        if not bucket.take():
            return self._drop(locker, Drop.RATE)
        if len(self.queue) >= self.queue_limit:
            return self._drop(locker, Drop.QUEUE)
        message, key = verified
        self.queue.append(
            Admitted(
                locker_pk=locker.pk,
                controller_id=locker.controller_id,
                channel=channel,
                message=message,
                key=key,
                received_at=received_at,
                straight_through=straight_through,
            )
        )
        return True

    def _drop(self, locker: Locker, reason: Drop) -> bool:
        self.dropped[locker.controller_id, reason] += 1
        return False

    def batch_take(self, size: int) -> list[Admitted]:
        """The oldest ``size`` queued messages, in the order they arrived."""
        return [self.queue.popleft() for _ in range(min(size, len(self.queue)))]

    def drops_take(self) -> Counter[tuple[str, Drop]]:
        """The drops counted since the last call, by controller and reason."""
        dropped, self.dropped = self.dropped, Counter()
        return dropped

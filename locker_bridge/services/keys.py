"""Controller keys: which key signs, which keys verify, and rotating a key with a short grace.

A controller's key lives in two places, the database and the controller, and a
technician changes the controller's copy by hand (docs/locker_bridge.md,
"Rotating a controller's key"). So a rotation has a grace period: until the
controller proves the new key with its first message signed under it, or until
``previous_key_until``, the bridge keeps signing with the previous key and
accepts messages under both. A rotation without grace (a leaked key) refuses the
old key at once; the controller is then offline until it has the new one.
"""

import logging
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from locker_bridge.models import Locker

logger = logging.getLogger(__name__)

KEY_ROTATION_GRACE = timedelta(minutes=15)
KEY_FIELDS = ["secret_key", "previous_secret_key", "previous_key_until"]


def _in_grace(locker: Locker, now: datetime | None = None) -> bool:
    return bool(
        locker.previous_secret_key
        and locker.previous_key_until is not None
        and locker.previous_key_until > (now or timezone.now())
    )


def locker_signing_key(*, locker: Locker) -> str:
    """The key the controller holds as far as the bridge knows: the previous one during the grace period."""
    return locker.previous_secret_key if _in_grace(locker) else locker.secret_key


def locker_keys_accepted(*, locker: Locker) -> list[str]:
    """The keys a controller's message may be signed with, the current key first."""
    return [locker.secret_key, locker.previous_secret_key] if _in_grace(locker) else [locker.secret_key]


def locker_key_rotate(*, locker: Locker, grace: timedelta = KEY_ROTATION_GRACE) -> str:
    """Give the controller a new secret key; returns it, to be installed on the controller.

    With ``grace`` (default 15 minutes), commands stay signed with the previous
    key and messages under either key are accepted until the controller sends
    its first message under the new key, or the grace period ends. With
    ``grace=timedelta(0)`` the previous key is refused at once (use this when the
    key may have leaked). Rotating again during a grace period drops the key
    being replaced, so at most two keys are ever accepted.
    """
    now = timezone.now()
    with transaction.atomic():
        # Locked, so two rotations at once cannot hand out a key that the other one overwrote.
        current = Locker.objects.select_for_update().only(*KEY_FIELDS).get(pk=locker.pk)
        previous = locker_signing_key(locker=current) if grace > timedelta(0) else ""
        locker.secret_key = secrets.token_hex(32)
        locker.previous_secret_key = previous
        locker.previous_key_until = now + grace if previous else None
        locker.save(update_fields=KEY_FIELDS)
    logger.warning("Rotated the key of controller %s (grace until %s)", locker.controller_id, locker.previous_key_until)
    return locker.secret_key


def locker_key_confirm(*, locker: Locker) -> None:
    """The controller signed a message with its new key: the previous key is retired at once. Idempotent."""
    if not locker.previous_secret_key:
        return
    Locker.objects.filter(pk=locker.pk).exclude(previous_secret_key="").update(
        previous_secret_key="", previous_key_until=None
    )
    locker.previous_secret_key, locker.previous_key_until = "", None
    logger.info("Controller %s now uses its new key", locker.controller_id)

"""Set-up writes: controllers and compartments (demo, admin) and the periodic schedule."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from locker_bridge.models import Alert, Command, Compartment, Event, Locker

PERIODIC_TASK = "locker_bridge.tasks.locker_periodic_task"


def locker_ensure(*, controller_id: str, location_label: str, online: bool = True) -> Locker:
    """Create a controller once (idempotent on ``controller_id``); its secret key is generated."""
    locker, _created = Locker.objects.get_or_create(
        controller_id=controller_id,
        defaults={
            "location_label": location_label,
            "is_online": online,
            "last_heartbeat_at": timezone.now() if online else None,
        },
    )
    return locker


def compartments_ensure(*, locker: Locker, count: int, size: str = Compartment.Size.MEDIUM) -> list[Compartment]:
    """Make sure compartments 1..count exist. Idempotent."""
    with transaction.atomic():
        for number in range(1, count + 1):
            Compartment.objects.get_or_create(locker=locker, number=number, defaults={"size": size})
    return list(locker.compartments.filter(number__lte=count))


def history_prune(*, now: datetime | None = None) -> int:
    """Delete events, finished commands and acknowledged alerts older than ``LOCKER_HISTORY_DAYS``.

    Idempotent; part of the periodic job. Keeps the hot tables small and
    history no longer than the operator needs it.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.LOCKER_HISTORY_DAYS)
    deleted, _ = Event.objects.filter(received_at__lt=cutoff).delete()
    finished = Command.objects.filter(state__in=Command.TERMINAL, finished_at__lt=cutoff).exclude(
        pin__revoked_at__isnull=True, pin__valid_until__gt=cutoff
    )
    deleted += finished.delete()[0]
    deleted += Alert.objects.filter(acknowledged_at__lt=cutoff).delete()[0]
    return deleted

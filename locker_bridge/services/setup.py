"""Set-up writes: controllers and compartments (demo, admin) and the periodic schedule."""

from django.db import transaction
from django.utils import timezone

from locker_bridge.models import Compartment, Locker

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


def schedules_ensure() -> None:
    """The one django-q schedule of the bridge: reaper, health check and simulated heartbeats, every minute.

    Idempotent (keyed on the schedule's name). ``manage.py locker_bridge`` runs
    the reaper and health check every second as well; this schedule is the
    backstop and the only clock under the simulated driver.
    """
    from django_q.models import Schedule

    Schedule.objects.update_or_create(
        name="locker_bridge_periodic",
        defaults={"func": PERIODIC_TASK, "schedule_type": Schedule.MINUTES, "minutes": 1, "repeats": -1},
    )

"""Everything that runs by itself: the one declaration of every periodic job.

``migrate`` (post_migrate, see ``cms.signals``) writes ``JOBS`` into django-q2's
``Schedule`` table, so a production install, ``make run`` and the stack test get
the same schedules without the demo content. Each row is keyed by its function,
so running ``schedules_ensure`` again (or renaming a job) never duplicates a row.
``check --deploy --database default`` warns when a job is missing (cms.W002).
docs/operations.md lists what breaks when each of them stops.

Every job is idempotent: a missed run is caught up by the next, a doubled run does
no harm.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

BERLIN = ZoneInfo("Europe/Berlin")
# The task that publishes pages whose go-live time has come (``cms.tasks``).
PUBLISH_SCHEDULED = "cms.tasks.publish_scheduled_task"
PUBLISH_AT_PREFIX = "portal: Veröffentlichung um "


@dataclass(frozen=True)
class Job:
    func: str
    name: str
    minutes: int | None = None  # every N minutes
    daily_at: datetime.time | None = None  # once a day at this time in Berlin


JOBS = [
    Job(PUBLISH_SCHEDULED, "portal: geplante Seiten veröffentlichen und ablaufen lassen", minutes=1),
    Job("notifications.tasks.deliveries_release_task", "benachrichtigungen: Ruhezeiten freigeben, Bericht", minutes=1),
    Job("notifications.tasks.email_digest_task", "benachrichtigungen: E-Mail-Digest", daily_at=datetime.time(7, 30)),
    Job("locker_bridge.tasks.locker_periodic_task", "schließfächer: Zustand prüfen, Befehle abräumen", minutes=1),
    Job("rentals.tasks.release_no_shows_task", "verleih: nicht abgeholte freigeben", minutes=5),
    Job("rentals.tasks.flag_overdue_task", "verleih: überfällige erinnern", minutes=5),
    Job("rentals.tasks.retention_task", "verleih: Daten anonymisieren", daily_at=datetime.time(3, 15)),
    Job("academy.tasks.holds_expire_task", "akademie: abgelaufene Platzangebote weitergeben", minutes=5),
    Job("academy.tasks.reminders_send_task", "akademie: Erinnerungen senden", minutes=60),
    Job("ideas.tasks.rounds_close_due", "ideen: fällige Bewertungsrunden schließen", minutes=15),
    Job("cms.tasks.idempotency_keys_purge_task", "api: alte Idempotency-Keys löschen", minutes=60),
    Job("home.tasks.search_index_rebuild_task", "suche: Suchindex neu aufbauen", minutes=60),
]


def _next_daily(at: datetime.time, now: datetime.datetime) -> datetime.datetime:
    local = now.astimezone(BERLIN)
    candidate = datetime.datetime.combine(local.date(), at, tzinfo=BERLIN)
    return candidate if candidate > local else candidate + datetime.timedelta(days=1)


@transaction.atomic
def schedules_ensure() -> int:
    """Create or update one ``Schedule`` row per job; returns how many were created.

    An existing row keeps its ``next_run`` (a restart must not postpone a daily
    job); duplicates of the same function, left by earlier versions, are removed.
    """
    from django_q.models import Schedule

    now = timezone.now()
    created = 0
    for job in JOBS:
        if job.minutes is not None:
            fields = {"schedule_type": Schedule.MINUTES, "minutes": job.minutes}
            first_run = now + datetime.timedelta(minutes=job.minutes)
        else:
            fields = {"schedule_type": Schedule.DAILY, "minutes": None}
            first_run = _next_daily(job.daily_at, now)
        rows = list(Schedule.objects.select_for_update().filter(func=job.func).order_by("pk"))
        if rows:
            row, duplicates = rows[0], rows[1:]
            Schedule.objects.filter(pk__in=[duplicate.pk for duplicate in duplicates]).delete()
            Schedule.objects.filter(pk=row.pk).update(name=job.name, repeats=-1, **fields)
        else:
            Schedule.objects.create(func=job.func, name=job.name, repeats=-1, next_run=first_run, **fields)
            created += 1
    return created


def schedules_missing() -> list[str]:
    """The functions of declared jobs that have no schedule row (for the deploy check)."""
    from django_q.models import Schedule

    present = set(Schedule.objects.filter(func__in=[job.func for job in JOBS]).values_list("func", flat=True))
    return [job.func for job in JOBS if job.func not in present]


def publish_at_ensure(*, when: datetime.datetime) -> None:
    """A one-off run of the publishing job at an approved go-live time.

    The minutely job alone can be up to a minute and a half late (its own
    interval plus the scheduler's 30-second look); a page announced for 9:00
    should be there by 9:00:30. Keyed by the time, so pages going live together
    share one row; django-q2 deletes a ``ONCE`` row with negative repeats after it ran.
    """
    from django_q.models import Schedule

    name = f"{PUBLISH_AT_PREFIX}{when.astimezone(BERLIN):%Y-%m-%d %H:%M:%S}"
    Schedule.objects.get_or_create(
        name=name,
        defaults={"func": PUBLISH_SCHEDULED, "schedule_type": Schedule.ONCE, "repeats": -1, "next_run": when},
    )

"""The one place rentals' periodic jobs are scheduled (django-q2 ``Schedule`` rows).

Each job is idempotent (see ``rentals.services.periodic``), so a missed or
doubled run does no harm. ``schedules_ensure`` runs after every ``migrate``.
"""

from django_q.models import Schedule

SCHEDULES = [
    # (name, function, minutes between runs)
    ("rentals: nicht abgeholte freigeben", "rentals.tasks.release_no_shows_task", 5),
    ("rentals: überfällige erinnern", "rentals.tasks.flag_overdue_task", 5),
    ("rentals: anonymisieren und Protokoll aufräumen", "rentals.tasks.retention_task", 24 * 60),
]


def schedules_ensure() -> None:
    for name, func, minutes in SCHEDULES:
        Schedule.objects.update_or_create(
            name=name, defaults={"func": func, "schedule_type": Schedule.MINUTES, "minutes": minutes, "repeats": -1}
        )

"""Tasks of the academy: thin functions that take ids, plus the periodic jobs.

``SCHEDULES`` is the one place the periodic jobs are declared; ``schedules_ensure``
(run after migrate) writes them to django-q2. Both jobs are idempotent.
"""

from django_q.tasks import async_task

from academy.models import ParticipantMessage
from academy.services import messages, registrations, sessions

SCHEDULES = [
    # (function, minutes between runs)
    ("academy.tasks.holds_expire_task", 5),
    ("academy.tasks.reminders_send_task", 60),
]


def participant_email_send_task(message_id: int) -> None:
    message = ParticipantMessage.objects.filter(pk=message_id).first()
    if message is not None:
        messages.participant_email_deliver(message=message)


def enqueue_participant_email(*, message_id: int) -> None:
    async_task("academy.tasks.participant_email_send_task", message_id, task_name=f"academy-email-{message_id}")


def holds_expire_task() -> int:
    return registrations.holds_expire()


def reminders_send_task() -> int:
    return sessions.reminders_send()


def schedules_ensure() -> None:
    from django_q.models import Schedule

    for func, minutes in SCHEDULES:
        Schedule.objects.update_or_create(
            func=func, defaults={"schedule_type": Schedule.MINUTES, "minutes": minutes, "name": func}
        )

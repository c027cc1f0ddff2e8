"""Tasks of the academy: thin functions that take ids, plus the periodic jobs
(scheduled in ``cms.schedules``; both are idempotent)."""

from django_q.tasks import async_task

from academy.models import ParticipantMessage
from academy.services import messages, registrations, sessions


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

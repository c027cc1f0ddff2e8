"""Tasks of the notifications app: thin functions that take ids."""

from django_q.tasks import async_task

from notifications.models import PersonalNotice
from notifications.services import personal_notice_deliver


def personal_notice_deliver_task(notice_id: int) -> None:
    notice = PersonalNotice.objects.filter(pk=notice_id).first()
    if notice is not None:
        personal_notice_deliver(notice=notice)


def enqueue_personal_notice_delivery(*, notice_id: int) -> None:
    async_task("notifications.tasks.personal_notice_deliver_task", notice_id, task_name=f"notice-{notice_id}")

"""Tasks of the notifications app: thin functions that take ids.

Everything that leaves the process runs here, enqueued after commit. Each task
is safe to run twice: sends need a claim, emails are marked in their row lock.
"""

from django_q.tasks import async_task

from notifications.models import Campaign, PersonalNotice
from notifications.services import (
    campaign_chunk_send,
    campaign_emails_send,
    campaign_plan,
    deliveries_due_release,
    email_digest_send,
    personal_notice_deliver,
)


def personal_notice_deliver_task(notice_id: int) -> None:
    notice = PersonalNotice.objects.filter(pk=notice_id).first()
    if notice is not None:
        personal_notice_deliver(notice=notice)


def enqueue_personal_notice_delivery(*, notice_id: int) -> None:
    async_task("notifications.tasks.personal_notice_deliver_task", notice_id, task_name=f"notice-{notice_id}")


def campaign_plan_task(campaign_id: int) -> None:
    """Plan the campaign, enqueueing each chunk as soon as its deliveries exist.

    The other workers start sending while this one is still planning. The last
    chunk is sent here, once planning is done: one queue round trip less, and
    with a single chunk nothing waits for the queue at all.
    """
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return
    held = None
    for chunk in campaign_plan(campaign=campaign):
        if held is not None:
            enqueue_campaign_chunk(campaign_id=campaign_id, first_id=held[0], last_id=held[1])
        held = chunk
    async_task("notifications.tasks.campaign_emails_task", campaign_id, task_name=f"campaign-{campaign_id}-emails")
    if held is not None:
        campaign_chunk_send(campaign=campaign, first_id=held[0], last_id=held[1])


def enqueue_campaign_plan(*, campaign_id: int) -> None:
    async_task("notifications.tasks.campaign_plan_task", campaign_id, task_name=f"campaign-{campaign_id}-plan")


def campaign_chunk_task(campaign_id: int, first_id: int, last_id: int) -> None:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is not None:
        campaign_chunk_send(campaign=campaign, first_id=first_id, last_id=last_id)


def enqueue_campaign_chunk(*, campaign_id: int, first_id: int, last_id: int) -> None:
    async_task(
        "notifications.tasks.campaign_chunk_task",
        campaign_id,
        first_id,
        last_id,
        task_name=f"campaign-{campaign_id}-{first_id}-{last_id}",
    )


def campaign_emails_task(campaign_id: int) -> None:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is not None:
        campaign_emails_send(campaign=campaign)


def deliveries_release_task() -> None:
    """Every minute: enqueue what became due (quiet hours over, Retry-After passed, crashed chunk or plan)."""
    due = deliveries_due_release()
    for campaign_id in due["plans"]:
        enqueue_campaign_plan(campaign_id=campaign_id)
    for campaign_id, first_id, last_id in due["chunks"]:
        enqueue_campaign_chunk(campaign_id=campaign_id, first_id=first_id, last_id=last_id)
    for notice_id in due["notices"]:
        enqueue_personal_notice_delivery(notice_id=notice_id)


def email_digest_task() -> None:
    """Once a day at 07:30: the email digest."""
    email_digest_send()

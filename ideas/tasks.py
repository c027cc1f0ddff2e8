"""Tasks of the Ideenspeicher: thin wrappers that load by id and call one service."""

from django_q.tasks import async_task


def enqueue_idea_event_notices(*, event_id: int) -> None:
    async_task("ideas.tasks.idea_event_notices_send", event_id)


def idea_event_notices_send(event_id: int) -> None:
    from ideas.models import IdeaEvent
    from ideas.services.notices import idea_event_notify

    event = IdeaEvent.objects.select_related("idea").filter(pk=event_id).first()
    if event is not None:
        idea_event_notify(event=event)


def enqueue_milestone_notices(*, announcement_id: int) -> None:
    async_task("ideas.tasks.milestone_notices_send", announcement_id)


def milestone_notices_send(announcement_id: int) -> None:
    from ideas.models import MilestoneAnnouncement
    from ideas.services.notices import milestone_announcement_notify

    announcement = (
        MilestoneAnnouncement.objects.select_related("milestone__page__idea").filter(pk=announcement_id).first()
    )
    if announcement is not None:
        milestone_announcement_notify(announcement=announcement)


def rounds_close_due() -> int:
    """Periodic (every 15 minutes, scheduled in ``cms.schedules``);
    idempotent: closing a closed round does nothing."""
    from ideas.services.evaluation import rounds_close_due as close

    return close()

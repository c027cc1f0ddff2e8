"""Signals of the Ideenspeicher and their receivers."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import Signal, receiver

from wagtail.signals import page_published

from ideas.models import ProjectPage

idea_status_changed = Signal()
"""Fired inside the transaction after an idea changed status.

Arguments: ``idea`` (the ``Idea``, already saved) and ``event`` (the new
``IdeaEvent`` on its timeline). The notice to author and followers is sent
after commit.
"""


@receiver(idea_status_changed, dispatch_uid="ideas_notify_on_status_change")
def _notify_on_status_change(sender, *, idea, event, **kwargs) -> None:
    from ideas.tasks import enqueue_idea_event_notices

    transaction.on_commit(lambda: enqueue_idea_event_notices(event_id=event.pk))


@receiver(page_published, sender=ProjectPage, dispatch_uid="ideas_announce_milestones_on_publish")
def _announce_milestones_on_publish(sender, *, instance, **kwargs) -> None:
    from ideas.services.projects import project_milestones_announce

    project_milestones_announce(project=instance)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="ideas_detach_departing_member")
def _detach_departing_member(sender, *, instance, **kwargs) -> None:
    """Also when staff delete a user in the admin, not only through "Konto löschen"."""
    from ideas.services.personal_data import evaluation_member_detach

    evaluation_member_detach(user=instance)

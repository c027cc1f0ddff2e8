"""The one place where an idea changes status."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ideas.models import TRANSITIONS, Idea, IdeaEvent, IdeaStatus
from ideas.signals import idea_status_changed


@transaction.atomic
def idea_transition(
    *, idea: Idea, status: str, reason: str = "", actor: AbstractBaseUser | None = None, public: bool = True
) -> IdeaEvent:
    """Move ``idea`` to ``status`` if ``TRANSITIONS`` allows it, and record the step.

    The row is locked, so two moderators acting at once cannot both move it.
    """
    locked = Idea.objects.select_for_update().get(pk=idea.pk)
    if status not in TRANSITIONS[locked.status]:
        raise ValidationError(
            _("Eine Idee mit dem Status „%(current)s“ kann nicht „%(new)s“ werden.")
            % {"current": locked.get_status_display(), "new": IdeaStatus(status).label}
        )
    locked.status = status
    fields = ["status"]
    if status == IdeaStatus.PUBLISHED and locked.published_at is None:
        locked.published_at = timezone.now()
        fields.append("published_at")
    locked.save(update_fields=fields)
    idea.status, idea.published_at = locked.status, locked.published_at
    event = IdeaEvent.objects.create(idea=locked, status=status, reason=reason, actor=actor, public=public)
    idea_status_changed.send(sender=Idea, idea=locked, event=event)
    return event

"""Notices to an idea's author and followers about a new step on its timeline or a project milestone."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ideas.models import Idea, IdeaEvent, IdeaStatus, MilestoneAnnouncement
from notifications.services import personal_notice_send

STATUS_SENTENCES = {
    IdeaStatus.PUBLISHED: _("Die Idee ist jetzt im Ideenspeicher zu sehen."),
    IdeaStatus.NOT_PUBLISHED: _("Die Idee wurde nicht veröffentlicht. Den Grund lesen Sie in Mein Konto."),
    IdeaStatus.IN_EVALUATION: _("Ein Arbeitskreis bewertet die Idee jetzt."),
    IdeaStatus.SELECTED: _("Der Arbeitskreis hat die Idee ausgewählt."),
    IdeaStatus.DEFERRED: _("Der Arbeitskreis hat die Idee zurückgestellt. Sie bleibt im Ideenspeicher."),
    IdeaStatus.REJECTED: _("Der Arbeitskreis hat die Idee abgelehnt. Die Begründung steht auf der Seite der Idee."),
    IdeaStatus.IN_PROJECT: _("Aus der Idee wird ein Projekt."),
    IdeaStatus.MERGED: _("Die Idee wurde mit einer ähnlichen Idee zusammengeführt."),
}


MILESTONE_SENTENCES = {
    False: _("Das Projekt zur Idee hat einen neuen Meilenstein."),
    True: _("Ein Meilenstein des Projekts zur Idee ist erledigt."),
}


def _notify(*, idea: Idea, followers: bool, body: str | Promise, url: str, reference: str) -> int:
    """One personal notice per person (the author, and the followers if asked), keyed on ``reference``.

    The text names the idea's title but nobody's personal details.
    """
    recipients = set()
    if idea.author_id:
        recipients.add(idea.author_id)
    if followers:
        recipients |= set(idea.follows.values_list("user_id", flat=True))
    title = format_lazy(_("Neues zur Idee „{title}“"), title=idea.title)
    users = get_user_model().objects.filter(pk__in=recipients, is_active=True).select_related("profile")
    for user in users:
        personal_notice_send(user=user, title=title, body=body, url=url, reference=reference)
    return len(recipients)


def idea_event_notify(*, event: IdeaEvent) -> int:
    """Notify the author and, for public steps, the followers. Idempotent per event and person."""
    idea = event.idea
    url = (idea.merged_into or idea).get_absolute_url() if event.public else reverse("accounts:my_account")
    return _notify(
        idea=idea,
        followers=event.public,
        body=STATUS_SENTENCES[IdeaStatus(event.status)],
        url=url,
        reference=f"idea-event-{event.pk}",
    )


def milestone_announcement_notify(*, announcement: MilestoneAnnouncement) -> int:
    """Tell the author and followers that the project has a new milestone or finished one.

    Idempotent per announcement and person. The link goes to the idea, whose
    timeline shows the project's milestones.
    """
    idea = announcement.milestone.page.idea
    if idea is None:
        return 0
    return _notify(
        idea=idea,
        followers=True,
        body=MILESTONE_SENTENCES[announcement.done],
        url=idea.get_absolute_url(),
        reference=f"idea-milestone-{announcement.pk}",
    )

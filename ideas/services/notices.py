"""Notices to an idea's author and followers about a new step on its timeline."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ideas.models import IdeaEvent, IdeaStatus
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


def idea_event_notify(*, event: IdeaEvent) -> int:
    """Notify the author and, for public steps, the followers. Idempotent per event and person.

    The text names the idea's title but nobody's personal details.
    """
    idea = event.idea
    recipients = set()
    if idea.author_id:
        recipients.add(idea.author_id)
    if event.public:
        recipients |= set(idea.follows.values_list("user_id", flat=True))
    title = format_lazy(_("Neues zur Idee „{title}“"), title=idea.title)
    url = (idea.merged_into or idea).get_absolute_url() if event.public else reverse("accounts:my_account")
    users = get_user_model().objects.filter(pk__in=recipients, is_active=True).select_related("profile")
    for user in users:
        personal_notice_send(
            user=user,
            title=title,
            body=STATUS_SENTENCES[IdeaStatus(event.status)],
            url=url,
            reference=f"idea-event-{event.pk}",
        )
    return len(recipients)

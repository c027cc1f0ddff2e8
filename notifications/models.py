"""Topics citizens follow, and (with the push issue) their devices and campaigns.

``notifications`` knows topics, devices, campaigns and senders. It imports no
domain app: other apps hand it the text to send.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

TOPIC_ICONS = [
    ("traffic", _("Verkehr")),
    ("park", _("Park")),
    ("laptop", _("Digitales")),
    ("culture", _("Kultur")),
    ("townhall", _("Rathaus")),
    ("leaf", _("Umwelt")),
    ("warning", _("Warnung")),
    ("info", _("Information")),
]


class Topic(TranslatableMixin, index.Indexed, models.Model):
    """An interest area citizens follow ("Thema"), e.g. Verkehr & Baustellen.

    Translatable so that each locale shows its own name; the slug is shared by all
    translations of a topic and is what URLs, feeds and the API use.
    """

    name = models.CharField(_("Name"), max_length=80)
    slug = models.SlugField(_("Kurzname für Adressen"), max_length=80)
    description = models.TextField(_("Beschreibung"), blank=True)
    icon = models.CharField(_("Symbol"), max_length=20, choices=TOPIC_ICONS, default="info")
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="topic_slug_unique_per_locale"),
        ]

    def __str__(self) -> str:
        return self.name


register_snippet(Topic)


class PushUrgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Eilmeldung")


class PushOnPublishMixin(models.Model):
    """Fields for the editor's push panel on a page that notifies on publish.

    News pages (and course pages) inherit this; ``notifications`` reacts to
    Wagtail's ``page_published`` for any page that has it and asks the page for
    ``push_topics()`` and ``push_default_text()``. That keeps ``notifications``
    free of imports from the apps that use it.
    """

    push_on_publish = models.BooleanField(_("Beim Veröffentlichen benachrichtigen"), default=True)
    push_title = models.CharField(
        _("Titel der Benachrichtigung"), max_length=80, blank=True, help_text=_("Leer lassen: der Seitentitel.")
    )
    push_text = models.CharField(
        _("Text der Benachrichtigung"), max_length=180, blank=True, help_text=_("Leer lassen: der Anreißer.")
    )
    push_urgency = models.CharField(
        _("Dringlichkeit"), max_length=10, choices=PushUrgency.choices, default=PushUrgency.NORMAL
    )
    push_resend = models.BooleanField(
        _("Erneut senden"),
        default=False,
        help_text=_("Nur ankreuzen, wenn alle Abonnenten diese Seite noch einmal erhalten sollen."),
    )

    class Meta:
        abstract = True

    def push_topics(self):
        """The topics whose followers are notified. Pages override this."""
        raise NotImplementedError

    def push_default_text(self) -> str:
        return ""


class PersonalNotice(models.Model):
    """A message to one citizen (a reminder, a promotion from a waiting list).

    Idempotent on ``reference``: the same business event never notifies twice.
    The text is stored already rendered in the citizen's language and carries
    no personal details, because it may travel through push services.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("fehlgeschlagen")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_notices")
    reference = models.CharField(max_length=200)
    language = models.CharField(max_length=10, default="de")
    title = models.CharField(max_length=120)
    body = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    channel = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Persönliche Nachricht")
        verbose_name_plural = _("Persönliche Nachrichten")
        constraints = [
            models.UniqueConstraint(fields=["user", "reference"], name="personal_notice_once_per_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} → {self.user_id}"

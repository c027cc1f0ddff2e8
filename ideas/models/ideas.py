"""Ideas citizens submit, the public status timeline, supports and follows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.TextChoices):
    """Norderstedt's districts (Stadtteile)."""

    GARSTEDT = "garstedt", "Garstedt"
    HARKSHEIDE = "harksheide", "Harksheide"
    FRIEDRICHSGABE = "friedrichsgabe", "Friedrichsgabe"
    GLASHUETTE = "glashuette", "Glashütte"
    MITTE = "mitte", "Norderstedt-Mitte"
    CITYWIDE = "stadtweit", _("ganze Stadt")


class Source(models.TextChoices):
    """How an idea reached the town; staff record it when entering on a citizen's behalf."""

    ONLINE = "online", _("online")
    POSTCARD = "postkarte", _("Postkarte")
    PHONE = "telefon", _("Telefon")
    WORKSHOP = "workshop", _("Workshop")


class IdeaStatus(models.TextChoices):
    SUBMITTED = "eingereicht", _("eingereicht")
    NOT_PUBLISHED = "nicht_veroeffentlicht", _("nicht veröffentlicht")
    PUBLISHED = "im_ideenspeicher", _("im Ideenspeicher")
    IN_EVALUATION = "in_bewertung", _("in Bewertung")
    SELECTED = "ausgewaehlt", _("ausgewählt")
    DEFERRED = "zurueckgestellt", _("zurückgestellt")
    REJECTED = "abgelehnt", _("abgelehnt")
    IN_PROJECT = "projekt", _("wird umgesetzt")
    MERGED = "zusammengefuehrt", _("zusammengeführt")


# The state machine in one place. NOT_PUBLISHED, REJECTED, IN_PROJECT and MERGED are terminal.
TRANSITIONS: dict[str, set[str]] = {
    IdeaStatus.SUBMITTED: {IdeaStatus.PUBLISHED, IdeaStatus.NOT_PUBLISHED, IdeaStatus.MERGED},
    IdeaStatus.PUBLISHED: {IdeaStatus.IN_EVALUATION, IdeaStatus.MERGED},
    IdeaStatus.IN_EVALUATION: {IdeaStatus.SELECTED, IdeaStatus.DEFERRED, IdeaStatus.REJECTED},
    IdeaStatus.DEFERRED: {IdeaStatus.IN_EVALUATION, IdeaStatus.MERGED},
    IdeaStatus.SELECTED: {IdeaStatus.IN_PROJECT},
    IdeaStatus.NOT_PUBLISHED: set(),
    IdeaStatus.REJECTED: set(),
    IdeaStatus.IN_PROJECT: set(),
    IdeaStatus.MERGED: set(),
}

# What the public sees; a merged idea is public only as a redirect.
PUBLIC_STATUSES = [
    IdeaStatus.PUBLISHED,
    IdeaStatus.IN_EVALUATION,
    IdeaStatus.SELECTED,
    IdeaStatus.DEFERRED,
    IdeaStatus.REJECTED,
    IdeaStatus.IN_PROJECT,
]


class Idea(models.Model):
    """One citizen idea in the Ideenspeicher.

    Public only after moderation (``PUBLIC_STATUSES``). The author may be empty
    when staff entered a postcard or phone call without an account; ``source``
    says how it arrived. ``status`` changes only through ``ideas.services``,
    which checks ``TRANSITIONS`` and writes an ``IdeaEvent`` for the timeline.
    """

    title = models.CharField(_("Titel"), max_length=120)
    description = models.TextField(_("Was ist die Idee?"), max_length=3000)
    need = models.TextField(_("Welchen Bedarf deckt sie?"), max_length=2000)
    topic = models.ForeignKey(
        "notifications.Topic", verbose_name=_("Thema"), on_delete=models.PROTECT, related_name="ideas"
    )
    district = models.CharField(_("Stadtteil"), max_length=20, choices=District.choices, blank=True)
    image = models.ImageField(_("Bild"), upload_to="ideen/%Y/", blank=True)
    image_alt = models.CharField(_("Was zeigt das Bild?"), max_length=250, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Urheber*in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(_("Eingang"), max_length=20, choices=Source.choices, default=Source.ONLINE)
    status = models.CharField(_("Status"), max_length=30, choices=IdeaStatus.choices, default=IdeaStatus.SUBMITTED)
    moderation_reason = models.TextField(_("Grund der Ablehnung"), blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_ideas"
    )
    created_at = models.DateTimeField(_("eingereicht am"), auto_now_add=True)
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Idee")
        verbose_name_plural = _("Ideen")
        ordering = ["-created_at"]
        permissions = [
            ("moderate_idea", _("Ideen moderieren und zusammenführen")),
            ("manage_evaluation", _("Bewertungsrunden anlegen und entscheiden")),
        ]
        indexes = [models.Index(fields=["status", "-published_at"], name="idea_status_published")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ideas:detail", kwargs={"pk": self.pk})


class IdeaEvent(models.Model):
    """One step on an idea's public timeline: a status change with date and reason.

    ``reason`` is public. Who acted is kept for staff but never shown.
    """

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=30, choices=IdeaStatus.choices)
    reason = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Schritt im Verlauf")
        verbose_name_plural = _("Verlauf")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.status}"


class Support(models.Model):
    """A citizen supports an idea ("unterstützen"), once: the unique constraint guarantees it."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_supports")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Unterstützung")
        verbose_name_plural = _("Unterstützungen")
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="idea_support_once_per_user")]


class Follow(models.Model):
    """A citizen follows an idea and is notified of each status change."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Folgen")
        verbose_name_plural = _("Folgen")
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="idea_follow_once_per_user")]

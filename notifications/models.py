"""Topics citizens follow, and (with the push issue) their devices and campaigns.

``notifications`` knows topics, devices, campaigns and senders. It imports no
domain app: other apps hand it the text to send.
"""

import datetime

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
    email_always = models.BooleanField(
        _("auch per E-Mail"),
        default=False,
        help_text=_("Die Nachricht geht per E-Mail und zusätzlich per Push an alle Geräte."),
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
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


DEFAULT_QUIET_START = datetime.time(22, 0)
DEFAULT_QUIET_END = datetime.time(7, 0)
DEFAULT_TIME_ZONE = "Europe/Berlin"


class Platform(models.TextChoices):
    WEB = "web", _("Browser (Web Push)")
    FCM = "fcm", _("Android (FCM)")
    APNS = "apns", _("iPhone (APNs)")


class Subscription(models.Model):
    """Which topics one device follows, in which language, and when it wants quiet.

    Devices themselves are django-push-notifications' models, so their admin
    and tokens stay familiar; exactly one of the three device links is set. A
    subscription is anonymous and managed by whoever holds the device key (only
    its SHA-256 is stored). Signing in links it to the citizen, which is how a
    personal notice finds all of a person's devices.
    """

    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    platform = models.CharField(_("Plattform"), max_length=10, choices=Platform.choices)
    web_device = models.OneToOneField(
        "push_notifications.WebPushDevice", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    fcm_device = models.OneToOneField(
        "push_notifications.GCMDevice", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    apns_device = models.OneToOneField(
        "push_notifications.APNSDevice", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="push_subscriptions"
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("Themen"), blank=True, related_name="subscriptions")
    language = models.CharField(_("Sprache"), max_length=10, choices=settings.LANGUAGES, default="de")
    quiet_start = models.TimeField(_("Ruhezeit von"), null=True, blank=True, default=DEFAULT_QUIET_START)
    quiet_end = models.TimeField(_("Ruhezeit bis"), null=True, blank=True, default=DEFAULT_QUIET_END)
    time_zone = models.CharField(_("Zeitzone"), max_length=40, default=DEFAULT_TIME_ZONE)
    active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Geräte-Abonnement")
        verbose_name_plural = _("Geräte-Abonnements")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        platform="web", web_device__isnull=False, fcm_device__isnull=True, apns_device__isnull=True
                    )
                    | models.Q(
                        platform="fcm", web_device__isnull=True, fcm_device__isnull=False, apns_device__isnull=True
                    )
                    | models.Q(
                        platform="apns", web_device__isnull=True, fcm_device__isnull=True, apns_device__isnull=False
                    )
                ),
                name="subscription_exactly_one_device",
            ),
        ]
        indexes = [models.Index(fields=["active", "platform"], name="subscription_active_platform")]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} #{self.pk}"

    @property
    def device(self):
        return self.web_device or self.fcm_device or self.apns_device


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("sofort")
    DIGEST = "digest", _("einmal am Tag (Zusammenfassung)")


class EmailSubscription(models.Model):
    """Email instead of push, for a signed-in citizen and one topic.

    For citizens without a smartphone. Stored against the topic's German
    (source) row so that a language switch keeps the choice.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_subscriptions")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="email_subscriptions")
    mode = models.CharField(_("Häufigkeit"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("E-Mail-Abonnement")
        verbose_name_plural = _("E-Mail-Abonnements")
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="email_subscription_once_per_topic")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.topic_id} · {self.mode}"


class Campaign(models.Model):
    """One send-out ("Versand") of one published page to its topics' followers.

    ``round`` is 0 for the first publication and the revision id when an editor
    ticks "erneut senden". The unique constraint on the page's translation group
    and round means two publish events (double click, two workers, a translation
    published later) create one campaign; every device gets the text in its own
    language from that one campaign.

    A campaign is a record of what was sent: deleting its page keeps it, with
    the page's title, and its figures (``page`` becomes NULL).
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("geplant")
        SENDING = "sending", _("wird gesendet")
        WAITING = "waiting", _("wartet auf Ende der Ruhezeit")
        DONE = "done", _("fertig")

    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="push_campaigns"
    )
    page_title = models.CharField(max_length=255, blank=True, help_text="kept for the report after the page is deleted")
    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.PROTECT, related_name="+")
    translation_key = models.UUIDField()
    round = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=120)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    topic_keys = models.JSONField(default=list)
    topic_label = models.CharField(max_length=80, blank=True)
    texts = models.JSONField(default=dict, help_text="language -> title, text, url of the live translations")
    urgency = models.CharField(max_length=10, choices=PushUrgency.choices, default=PushUrgency.NORMAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    targeted = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    deactivated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(
        default=0, help_text="devices of a platform without credentials (docs/notifications.md)"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Versand")
        verbose_name_plural = _("Versände")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["translation_key", "round"], name="campaign_once_per_page_and_round"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.created_at:%d.%m.%Y %H:%M})" if self.created_at else self.title

    @property
    def duration(self) -> datetime.timedelta | None:
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def progress_percent(self) -> int:
        if not self.targeted:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * (self.sent + self.failed + self.skipped) / self.targeted))


class Outcome(models.TextChoices):
    PENDING = "pending", _("offen")
    SENT = "sent", _("gesendet")
    TRANSIENT = "transient", _("vorübergehend fehlgeschlagen")
    PERMANENT = "permanent", _("endgültig fehlgeschlagen")
    SKIPPED = "skipped", _("übersprungen (Plattform nicht eingerichtet)")


class Delivery(models.Model):
    """One device's outcome in one campaign, or of one personal notice.

    The unique constraints are the exactly-once guarantee: a retried chunk only
    sends to rows that are not ``sent`` yet (docs/notifications.md).

    A delivery is history: when its device unregisters (or registers again, which
    replaces it), ``subscription`` becomes NULL and the row stays with its
    ``platform``, so the report's totals and the 14-day chart never go down.
    """

    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    notice = models.ForeignKey(
        PersonalNotice, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    platform = models.CharField(max_length=10, choices=Platform.choices, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    not_before = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)
    deactivated = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Zustellung")
        verbose_name_plural = _("Zustellungen")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subscription"],
                condition=models.Q(campaign__isnull=False),
                name="delivery_once_per_campaign_device",
            ),
            models.UniqueConstraint(
                fields=["notice", "subscription"],
                condition=models.Q(notice__isnull=False),
                name="delivery_once_per_notice_device",
            ),
            models.CheckConstraint(
                condition=models.Q(campaign__isnull=False, notice__isnull=True)
                | models.Q(campaign__isnull=True, notice__isnull=False),
                name="delivery_for_campaign_or_notice",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "outcome"], name="delivery_campaign_outcome")]

    def __str__(self) -> str:
        return f"{self.campaign_id or self.notice_id} → {self.subscription_id}: {self.outcome}"


class EmailDelivery(models.Model):
    """A campaign's email to one citizen: sent at once or collected for the digest.

    Unique per campaign and citizen, so a retried fan-out never mails twice.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="email_deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(max_length=10, choices=EmailMode.choices)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="email_delivery_once_per_campaign_user")
        ]
        indexes = [models.Index(fields=["mode", "sent_at"], name="email_delivery_pending")]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.user_id} ({self.mode})"

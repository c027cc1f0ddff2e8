"""The digital-skills academy ("Digitalakademie"): course pages, sessions and registrations.

Course pages are editorial (written by Redaktion in Wagtail, translatable). Sessions,
registrations, attendance and the outbox to participants are domain data: they
belong to the German source page of a course, so every translation shows the same
seats and waiting list (docs/academy.md, "Data model").
"""

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from home.blocks import RICH_TEXT_FEATURES
from home.models import SectionIndexPage
from notifications.models import PushOnPublishMixin


class Location(index.Indexed, models.Model):
    """Where sessions take place. A snippet, so a room is described once and reused."""

    name = models.CharField(_("Name"), max_length=120)
    address = models.CharField(_("Adresse"), max_length=200)
    directions = models.TextField(_("Anfahrt"), blank=True)
    accessibility = models.TextField(_("Barrierefreiheit"), blank=True)
    step_free = models.BooleanField(_("Stufenlos erreichbar"), default=False)
    hearing_loop = models.BooleanField(_("Induktionsschleife"), default=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("directions"),
        FieldPanel("accessibility"),
        FieldRowPanel([FieldPanel("step_free"), FieldPanel("hearing_loop")]),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("Kursort")
        verbose_name_plural = _("Kursorte")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


register_snippet(Location)


class AcademyIndexPage(SectionIndexPage):
    """The academy's start page: upcoming courses with filters and free places."""

    # It holds only course pages.
    subpage_types = ["academy.CoursePage"]

    class Meta:
        verbose_name = _("Digitalakademie")

    def get_context(self, request, *args, **kwargs):
        from academy.selectors import academy_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(academy_index_context(index=self, params=request.GET))
        return context


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Einsteiger")
    ADVANCED = "advanced", _("Fortgeschrittene")


class CourseFormat(models.TextChoices):
    SERIES = "series", _("Kursreihe: Anmeldung für alle Termine")
    DROP_IN = "drop_in", _("Offener Treff: Anmeldung je Termin")
    CONSULTATION = "consultation", _("Sprechstunde: Einzeltermine")


def trainers_choice():
    return Q(groups__name="Trainer")


class CoursePage(PushOnPublishMixin, Page):
    """One course. Its sessions and registrations hang off the German source page."""

    teaser = models.CharField(_("Anreißer"), max_length=300)
    description = RichTextField(_("Beschreibung"), features=RICH_TEXT_FEATURES)
    learning_goals = models.TextField(_("Das lernen Sie"), blank=True, help_text=_("Ein Lernziel je Zeile."))
    level = models.CharField(_("Stufe"), max_length=10, choices=Level.choices, default=Level.BEGINNER)
    target_group = models.CharField(_("Für wen"), max_length=250, blank=True)
    what_to_bring = models.TextField(_("Bitte mitbringen"), blank=True)
    accessibility_info = models.TextField(_("Hinweise zur Barrierefreiheit"), blank=True)
    large_print = models.BooleanField(_("Unterlagen in Großdruck"), default=False)
    price = models.DecimalField(_("Preis in Euro"), max_digits=6, decimal_places=2, default=0)
    format = models.CharField(_("Form"), max_length=15, choices=CourseFormat.choices, default=CourseFormat.SERIES)
    capacity = models.PositiveSmallIntegerField(
        _("Plätze (Kursreihe)"),
        default=12,
        help_text=_("Nur für Kursreihen. Offene Treffs und Sprechstunden nutzen die Plätze je Termin."),
    )
    cutoff_hours = models.PositiveSmallIntegerField(_("Anmeldeschluss (Stunden vor Beginn)"), default=24)
    trainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Kursleitung"),
        blank=True,
        limit_choices_to=trainers_choice,
        related_name="academy_courses",
    )
    topics = ParentalManyToManyField("notifications.Topic", verbose_name=_("Themen"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Bild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(_("Alternativtext des Bildes"), max_length=250, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("teaser"),
        FieldPanel("description"),
        FieldPanel("learning_goals"),
        FieldRowPanel([FieldPanel("level"), FieldPanel("format")]),
        FieldPanel("target_group"),
        FieldPanel("what_to_bring"),
        MultiFieldPanel([FieldPanel("accessibility_info"), FieldPanel("large_print")], heading=_("Barrierefreiheit")),
        FieldRowPanel([FieldPanel("price"), FieldPanel("capacity"), FieldPanel("cutoff_hours")]),
        FieldPanel("trainers", widget=forms.CheckboxSelectMultiple),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Bild")),
        MultiFieldPanel(
            [
                FieldPanel("push_on_publish"),
                FieldPanel("push_title"),
                FieldPanel("push_text"),
                FieldPanel("push_urgency"),
                FieldPanel("push_resend"),
            ],
            heading=_("Benachrichtigung an Abonnenten"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("description"),
        index.FilterField("level"),
    ]
    api_fields = [APIField("teaser"), APIField("level"), APIField("format"), APIField("price")]

    # Courses live only in the academy.
    parent_page_types = ["academy.AcademyIndexPage"]
    # A course is a leaf; its sessions are domain data, not pages.
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Kurs")
        verbose_name_plural = _("Kurse")

    def push_topics(self):
        return self.topics.all()

    def push_default_text(self) -> str:
        return self.teaser

    @property
    def source_id(self) -> int:
        """The id of the German page that owns sessions and registrations."""
        if self.locale.language_code == settings.LANGUAGE_CODE:
            return self.pk
        source = CoursePage.objects.filter(
            translation_key=self.translation_key, locale__language_code=settings.LANGUAGE_CODE
        ).first()
        return source.pk if source else self.pk

    @property
    def is_per_session(self) -> bool:
        return self.format != CourseFormat.SERIES

    def get_context(self, request, *args, **kwargs):
        from academy.selectors import course_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_context(course=self, user=request.user))
        return context

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Bitte beschreiben Sie das Bild mit einem Alternativtext.")})


class Session(models.Model):
    """One date of a course ("Termin"). Consultation slots have exactly one place."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("geplant")
        CANCELLED = "cancelled", _("abgesagt")

    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("Kurs"))
    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"))
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("Ort"))
    capacity = models.PositiveSmallIntegerField(_("Plätze"), default=12)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancel_message = models.TextField(_("Grund der Absage"), blank=True)

    class Meta:
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        ordering = ["start"]
        permissions = [("manage_all_sessions", _("Alle Kurse und Termine verwalten"))]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="academy_session_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="academy_session_has_a_place"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.course.title}, {local:%d.%m.%Y %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class AccessNeed(models.TextChoices):
    WHEELCHAIR = "wheelchair", _("Rollstuhl oder Rollator")
    HEARING = "hearing", _("Hörhilfe (Induktionsschleife)")
    LARGE_PRINT = "large_print", _("Großdruck")
    SIGHT = "sight", _("Sehbehinderung")
    ASSISTANCE_DOG = "assistance_dog", _("Assistenzhund")


class Registration(models.Model):
    """A place (or a waiting-list place) in a course or a session ("Anmeldung").

    A series registers for the course (``session`` is empty); drop-in and
    consultation register per session. Citizens register with their account;
    staff register phone callers with name and phone or email.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("angemeldet")
        HELD = "held", _("Platz reserviert, bitte bestätigen")
        WAITING = "waiting", _("auf der Warteliste")
        CANCELLED = "cancelled", _("abgesagt")
        EXPIRED = "expired", _("Reservierung abgelaufen")

    ACTIVE = (Status.CONFIRMED, Status.HELD, Status.WAITING)
    SEATED = (Status.CONFIRMED, Status.HELD)
    # The state machine in one place. CANCELLED and EXPIRED are final.
    TRANSITIONS = {
        Status.WAITING: {Status.HELD, Status.CANCELLED},
        Status.HELD: {Status.CONFIRMED, Status.EXPIRED, Status.CANCELLED},
        Status.CONFIRMED: {Status.CANCELLED},
        Status.CANCELLED: set(),
        Status.EXPIRED: set(),
    }

    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="registrations")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, null=True, blank=True, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="academy_registrations"
    )
    name = models.CharField(_("Name"), max_length=120, blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    note = models.TextField(_("Notiz"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    with_companion = models.BooleanField(_("Mit Begleitperson"), default=False)
    seats = models.PositiveSmallIntegerField(_("Plätze"), default=1, help_text=_("2 mit Begleitperson."))
    access_needs = models.JSONField(_("Unterstützung"), default=list, blank=True)
    access_needs_text = models.CharField(_("Weitere Unterstützung"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    hold_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name="") & (~Q(phone="") | ~Q(email="")),
                name="academy_registration_has_a_person",
            ),
            models.CheckConstraint(
                condition=Q(seats=1, with_companion=False) | Q(seats=2, with_companion=True),
                name="academy_companion_takes_one_seat",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(hold_until__isnull=False), name="academy_held_has_deadline"
            ),
            # One active registration per citizen and course (series) or session.
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(session__isnull=True, user__isnull=False, status__in=["confirmed", "held", "waiting"]),
                name="academy_one_active_series_registration",
            ),
            models.UniqueConstraint(
                fields=["user", "session"],
                condition=Q(session__isnull=False, user__isnull=False, status__in=["confirmed", "held", "waiting"]),
                name="academy_one_active_session_registration",
            ),
            # Waiting-list positions are handed out once per list.
            models.UniqueConstraint(
                fields=["course", "waitlist_position"],
                condition=Q(session__isnull=True, waitlist_position__isnull=False),
                name="academy_series_waitlist_position_unique",
            ),
            models.UniqueConstraint(
                fields=["session", "waitlist_position"],
                condition=Q(session__isnull=False, waitlist_position__isnull=False),
                name="academy_session_waitlist_position_unique",
            ),
        ]
        indexes = [models.Index(fields=["status", "hold_until"], name="academy_reg_status_hold")]

    def __str__(self) -> str:
        return f"{self.person_name} – {self.course.title}"

    @property
    def person_name(self) -> str:
        if self.name:
            return self.name
        if self.user_id:
            profile = getattr(self.user, "profile", None)
            return (profile and profile.display_name) or self.user.get_full_name() or self.user.email
        return ""

    @property
    def contact_email(self) -> str:
        return self.user.email if self.user_id else self.email

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class Attendance(models.Model):
    """Whether a participant was there on one session ("Anwesenheit")."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheiten")
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="academy_attendance_once_per_session")
        ]


class ParticipantMessage(models.Model):
    """Every message to a participant, once per ``reference`` (the outbox).

    Account holders get a personal notice (email and push); callers with an email
    get an email; callers without one land on the staff call list until someone
    marks the call as done.
    """

    class Channel(models.TextChoices):
        NOTICE = "notice", _("Mitteilung (E-Mail und Push)")
        EMAIL = "email", _("E-Mail")
        CALL = "call", _("Anruf")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="messages")
    reference = models.CharField(max_length=200)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("Nachricht an Teilnehmende")
        verbose_name_plural = _("Nachrichten an Teilnehmende")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "reference"], name="academy_message_once_per_reference")
        ]

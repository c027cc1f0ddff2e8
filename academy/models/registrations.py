"""Places and waiting-list places, attendance, and the outbox to participants."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from academy.models.courses import Course
from academy.models.sessions import Session


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

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("Kurs"))
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

"""The dates of a course ("Termine")."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.models.courses import Course
from academy.models.locations import Location


class Session(models.Model):
    """One date of a course ("Termin"). Consultation slots have exactly one place."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("geplant")
        CANCELLED = "cancelled", _("abgesagt")

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("Kurs"))
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

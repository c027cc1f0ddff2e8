"""The course as the academy runs it, outside the page tree."""

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index


class CourseFormat(models.TextChoices):
    SERIES = "series", _("Kursreihe: Anmeldung für alle Termine")
    DROP_IN = "drop_in", _("Offener Treff: Anmeldung je Termin")
    CONSULTATION = "consultation", _("Sprechstunde: Einzeltermine")


def trainers_choice():
    return Q(groups__name="Trainer")


class Course(index.Indexed, models.Model):
    """One course as the academy runs it ("Kurs"): how people register, how many places
    a series has, when registration closes, who teaches it.

    Sessions and registrations belong to the course, not to a page: a page is
    editorial and may be deleted, moved, copied or translated by an editor, while a
    citizen's booking must never be collateral of that (docs/decisions.md). Every
    page that shows the course, in any language, points here.
    """

    class Status(models.TextChoices):
        OFFERED = "offered", _("wird angeboten")
        ARCHIVED = "archived", _("beendet")

    title = models.CharField(
        _("Name"),
        max_length=255,
        help_text=_("Steht im Bereich Kurstermine, auf der Anrufliste und in Nachrichten an Teilnehmende."),
    )
    format = models.CharField(
        pgettext_lazy("course format", "Form"), max_length=15, choices=CourseFormat.choices, default=CourseFormat.SERIES
    )
    capacity = models.PositiveSmallIntegerField(
        _("Plätze (Kursreihe)"),
        default=12,
        help_text=_("Nur für Kursreihen. Offene Treffs und Sprechstunden nutzen die Plätze je Termin."),
    )
    cutoff_hours = models.PositiveSmallIntegerField(_("Anmeldeschluss (Stunden vor Beginn)"), default=24)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Kursleitung"),
        blank=True,
        limit_choices_to=trainers_choice,
        related_name="academy_courses",
    )
    status = models.CharField(
        _("Status"),
        max_length=10,
        choices=Status.choices,
        default=Status.OFFERED,
        help_text=_("Für einen beendeten Kurs ist keine Anmeldung mehr möglich. Anmeldungen und Termine bleiben."),
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("format"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("cutoff_hours")]),
        FieldPanel("trainers", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title"), index.FilterField("status")]

    class Meta:
        verbose_name = _("Kurs")
        verbose_name_plural = _("Kurse")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_per_session(self) -> bool:
        return self.format != CourseFormat.SERIES

    @property
    def is_offered(self) -> bool:
        return self.status == self.Status.OFFERED

"""Editorial pages: the academy's start page and one page per course and language."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from academy.models.courses import Course
from home.blocks import RICH_TEXT_FEATURES
from home.models import SectionIndexPage
from notifications.models import PushOnPublishMixin


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


class CoursePage(PushOnPublishMixin, Page):
    """What citizens read about one course, in one language. It shows a ``Course``;
    the course's sessions and registrations never depend on the page."""

    course = models.ForeignKey(
        Course,
        verbose_name=_("Kurs"),
        on_delete=models.PROTECT,
        related_name="pages",
        help_text=_("Form, Plätze, Anmeldeschluss und Kursleitung stehen beim Kurs (Snippets → Kurse)."),
    )
    teaser = models.CharField(_("Anreißer"), max_length=300)
    description = RichTextField(_("Beschreibung"), features=RICH_TEXT_FEATURES)
    learning_goals = models.TextField(_("Das lernen Sie"), blank=True, help_text=_("Ein Lernziel je Zeile."))
    level = models.CharField(_("Stufe"), max_length=10, choices=Level.choices, default=Level.BEGINNER)
    target_group = models.CharField(_("Für wen"), max_length=250, blank=True)
    what_to_bring = models.TextField(_("Bitte mitbringen"), blank=True)
    accessibility_info = models.TextField(_("Hinweise zur Barrierefreiheit"), blank=True)
    large_print = models.BooleanField(_("Unterlagen in Großdruck"), default=False)
    price = models.DecimalField(_("Preis in Euro"), max_digits=6, decimal_places=2, default=0)
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
        FieldPanel("course"),
        FieldPanel("teaser"),
        FieldPanel("description"),
        FieldPanel("learning_goals"),
        FieldPanel("level"),
        FieldPanel("target_group"),
        FieldPanel("what_to_bring"),
        MultiFieldPanel([FieldPanel("accessibility_info"), FieldPanel("large_print")], heading=_("Barrierefreiheit")),
        FieldRowPanel([FieldPanel("price")]),
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
        index.SearchField("learning_goals"),
        index.SearchField("target_group"),
        index.FilterField("level"),
    ]
    api_fields = [APIField("teaser"), APIField("level"), APIField("format"), APIField("price")]

    # Courses live only in the academy.
    parent_page_types = ["academy.AcademyIndexPage"]
    # A course page is a leaf; its sessions are domain data, not pages.
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Kursseite")
        verbose_name_plural = _("Kursseiten")

    def push_topics(self):
        return self.topics.all()

    def push_default_text(self) -> str:
        return self.teaser

    @property
    def format(self) -> str:
        """The course's format, for the page API (``api_fields``) and templates."""
        return self.course.format

    @property
    def is_per_session(self) -> bool:
        return self.course.is_per_session

    def get_context(self, request, *args, **kwargs):
        from academy.selectors import course_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_context(course_page=self, user=request.user))
        return context

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Bitte beschreiben Sie das Bild mit einem Alternativtext.")})

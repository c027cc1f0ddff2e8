"""The Wagtail pages of the Ideenspeicher: the public idea list and the project pages with their milestones."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import BodyBlock
from home.models import SectionIndexPage


class IdeaIndexPage(SectionIndexPage):
    """The public Ideenspeicher: filters by topic, status and district; sort by newest or support."""

    # Ideas are domain objects, not pages: nothing hangs below.
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Ideenspeicher")

    def get_context(self, request, *args, **kwargs):
        from ideas.selectors import idea_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(idea_index_context(index=self, query=request.GET, user=request.user))
        return context


class ProjectIndexPage(SectionIndexPage):
    """ "Projekte": the ideas the town is carrying out."""

    # It holds only project pages.
    subpage_types = ["ideas.ProjectPage"]

    class Meta:
        verbose_name = _("Projektübersicht")

    def get_context(self, request, *args, **kwargs):
        from ideas.selectors import projects_live

        context = super().get_context(request, *args, **kwargs)
        context["projects"] = projects_live(index=self)
        return context


class ProjectPage(Page):
    """A selected idea the town carries out, with milestones and a link back to the idea."""

    intro = models.TextField(_("Worum geht es?"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Inhalt"))
    idea = models.ForeignKey(
        "ideas.Idea",
        verbose_name=_("Ursprüngliche Idee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("idea", read_only=True),
        InlinePanel("milestones", label=_("Meilensteine")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]

    # Projects live only in the "Projekte" section.
    parent_page_types = ["ideas.ProjectIndexPage"]
    # A project is a leaf.
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Projekt")
        verbose_name_plural = _("Projekte")


def today() -> datetime.date:
    return timezone.localdate()


class ProjectMilestone(Orderable):
    """A step of a project (date, title, done). Shown on the project page and the idea's timeline."""

    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField(_("Datum"), default=today)
    title = models.CharField(_("Titel"), max_length=120)
    done = models.BooleanField(_("erledigt"), default=False)

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("title"), FieldPanel("done")])]

    class Meta(Orderable.Meta):
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")


class MilestoneAnnouncement(models.Model):
    """A milestone that an idea's followers were told about: once when it appears, once when it is done.

    Editors change milestones inside the project page, so nothing else records
    when one was new or became done. Publishing compares the live milestones with
    these rows (``ideas.services.projects.project_milestones_announce``); the
    unique constraint means two publications, even at once, announce a change
    once, and someone who follows later is not told about earlier milestones.
    """

    milestone = models.ForeignKey(ProjectMilestone, on_delete=models.CASCADE, related_name="announcements")
    done = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["milestone", "done"], name="milestone_announced_once_per_state"),
        ]

    def __str__(self) -> str:
        return f"{self.milestone_id}: {'done' if self.done else 'planned'}"

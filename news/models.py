"""News written by the communications staff."""

import datetime

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BodyBlock
from home.models import SectionIndexPage
from notifications.models import PushOnPublishMixin
from notifications.panels import PushStatusPanel


def today() -> datetime.date:
    return timezone.localdate()


class NewsIndexPage(SectionIndexPage):
    """The list of news ("Aktuelles"), filterable by topic, with feeds."""

    # It holds only news items.
    subpage_types = ["news.NewsPage"]

    class Meta:
        verbose_name = _("Nachrichtenübersicht")

    def get_context(self, request, *args, **kwargs):
        from news.selectors import news_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(
            news_index_context(
                index=self, topic_slug=request.GET.get("thema", ""), page_number=request.GET.get("seite", "1")
            )
        )
        return context


class NewsPage(PushOnPublishMixin, Page):
    """One news item. Publishing it can notify the devices following its topics."""

    date = models.DateField(_("Datum"), default=today)
    teaser = models.CharField(
        _("Anreißer"),
        max_length=300,
        help_text=_("Ein bis zwei kurze Sätze. Erscheint in Listen, Feeds und Benachrichtigungen."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Bild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("Alternativtext des Bildes"),
        max_length=250,
        blank=True,
        help_text=_("Pflicht, wenn ein Bild gewählt ist."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("Inhalt"))
    topics = ParentalManyToManyField("notifications.Topic", verbose_name=_("Themen"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("teaser"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Bild")),
        FieldPanel("body"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("push_on_publish"),
                FieldPanel("push_title"),
                FieldPanel("push_text"),
                FieldPanel("push_urgency"),
                FieldPanel("push_resend"),
                PushStatusPanel(heading=_("Bisherige Versände")),
            ],
            heading=_("Benachrichtigung an Abonnenten"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    api_fields = [APIField("date"), APIField("teaser"), APIField("body")]

    # News items live only in the news section.
    parent_page_types = ["news.NewsIndexPage"]
    # A news item is a leaf.
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Nachricht")
        verbose_name_plural = _("Nachrichten")

    def push_topics(self):
        return self.topics.all()

    def push_default_text(self) -> str:
        return self.teaser

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Bitte beschreiben Sie das Bild mit einem Alternativtext.")})

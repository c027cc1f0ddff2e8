"""Editorial pages: the home page, standard pages and the BITV pages.

Pages hold content only. Anything computed comes from a selector.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import RICH_TEXT_FEATURES, BodyBlock


class SectionIndexPage(Page):
    """A section's start page (news, academy, idea store, projects): an intro, once per
    locale, directly under the home page. Subclasses name what hangs below."""

    intro = models.TextField(_("Einleitung"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = ["intro"]

    parent_page_types = ["home.HomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True


class HomePage(Page):
    """The town's welcome page and the root of each locale's tree."""

    intro = models.CharField(_("Begrüßung"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Inhalt"))
    # BITV 2.0 § 4: the start page explains the portal in German Sign Language (DGS) too.
    sign_language_video = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("Video in Deutscher Gebärdensprache"),
        help_text=_("MP4 oder WebM. Ohne Video zeigt die Startseite: Das Video folgt."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sign_language_captions = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("Untertitel zum Video (WebVTT)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sign_language_transcript = RichTextField(
        _("Das Video als Text"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Was im Video gesagt wird, für alle, die das Video nicht sehen oder hören."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("sign_language_video"),
                FieldPanel("sign_language_captions"),
                FieldPanel("sign_language_transcript"),
            ],
            heading=_("Gebärdensprache"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = ["intro", "body"]

    # Only a Wagtail root holds home pages: one per site and locale.
    parent_page_types = ["wagtailcore.Page"]
    # Everything citizens browse hangs below the home page.
    subpage_types = [
        "home.StandardPage",
        "home.AccessibilityStatementPage",
        "news.NewsIndexPage",
        "academy.AcademyIndexPage",
        "ideas.IdeaIndexPage",
        "ideas.ProjectIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Startseite")

    def get_context(self, request, *args, **kwargs):
        from home.selectors import home_page_sections

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_sections(home=self))
        return context


class StandardPage(Page):
    """A general content page: Impressum, Datenschutz, service pages."""

    intro = models.TextField(_("Einleitung"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Inhalt"))
    in_footer = models.BooleanField(
        _("Im Fußbereich verlinken"), default=False, help_text=_("Für Impressum und Datenschutz.")
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    promote_panels = [*Page.promote_panels, FieldPanel("in_footer")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = ["intro", "body"]

    # Content pages can sit anywhere in the tree below the home page.
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    # Sections may nest further standard pages.
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("Inhaltsseite")


class FeedbackFormField(AbstractFormField):
    page = ParentalKey("AccessibilityStatementPage", on_delete=models.CASCADE, related_name="form_fields")


class AccessibilityStatementPage(AbstractEmailForm):
    """Erklärung zur Barrierefreiheit (BITV 2.0 §7) with its feedback form.

    Submissions are stored and emailed to staff (``to_address``), as §7 (1) Nr. 2
    requires a feedback mechanism.
    """

    statement = RichTextField(_("Erklärung"), features=RICH_TEXT_FEATURES)
    thank_you_text = RichTextField(_("Dank nach dem Absenden"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [
        *AbstractEmailForm.content_panels,
        FieldPanel("statement"),
        InlinePanel("form_fields", label=_("Formularfelder")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-Mail an die Verwaltung"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("statement")]
    api_fields = ["statement"]

    # The statement belongs directly under the home page, linked from every footer.
    parent_page_types = ["home.HomePage"]
    # It is a single page without children.
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Erklärung zur Barrierefreiheit")

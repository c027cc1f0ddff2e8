"""Editorial pages: the home page, standard pages and the BITV pages.

Pages hold content only. Anything computed comes from a selector.
"""

from django.contrib.postgres.search import SearchVectorField
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


class SearchEntry(models.Model):
    """One thing the site search can find, in one language: a page, a course with its dates, a
    kind of thing to borrow, a citizen's idea or one of the portal's services.

    A dedicated index rather than Wagtail's search backend, because the search must rank services
    above articles, read German with the German dictionary and English with the English one (one
    ``SEARCH_CONFIG`` serves every language in Wagtail's backend), find records that are not pages
    and forgive typos with trigram similarity (docs/decisions.md, "Site search"). ``home.search_index``
    writes the rows; ``home.search`` reads them.
    """

    class Kind(models.TextChoices):
        SERVICE = "service", _("Angebot")
        ITEM_TYPE = "item_type", _("Ausleihen")
        COURSE = "course", _("Kurs")
        PAGE = "page", _("Seite")
        IDEA = "idea", _("Idee")

    language = models.CharField(max_length=10, db_index=True)  # the locale whose search lists it
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=80)  # what it stands for: "page:12", "item_type:<translation key>"
    text_language = models.CharField(max_length=10)  # what the text is written in ("de" for ideas everywhere)
    title = models.CharField(max_length=255)
    summary = models.CharField(max_length=300, blank=True)
    keywords = models.TextField(blank=True)  # other words people use for it ("Rolli")
    words = models.TextField(blank=True)  # title and keywords: what a typo is compared with (trigrams)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    boost = models.PositiveSmallIntegerField(default=0)  # services before articles
    stems = models.TextField(blank=True)  # " stem stem … " for the SQLite fallback
    vector = SearchVectorField(null=True)  # PostgreSQL only: weighted German or English lexemes

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "key"], name="search_entry_one_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.title}"

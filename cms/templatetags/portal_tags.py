"""Template tags for the page frame: language links and the Leichte Sprache link."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext

from wagtail.models import Locale, Page, Site

register = template.Library()

LANGUAGE_LABELS = {"de": "Deutsch", "en": "English", "de-ls": "Leichte Sprache"}


def _urls_by_language(page: Page | None, request) -> dict[str, str]:
    """Each language's live version of the page; failing that, that language's home page.

    Two queries at most, whatever the number of languages: the page's translations,
    then the home page's translations for the languages still missing.
    """
    urls: dict[str, str] = {}
    if page is not None:
        for translated in Page.objects.live().filter(translation_key=page.translation_key).select_related("locale"):
            urls[translated.locale.language_code] = translated.get_url(request=request)
    missing = [code for code, _name in settings.LANGUAGES if code not in urls]
    if missing and page is None and request is not None:
        # translate_url resolves the path in the active language and reverses it in
        # the other one itself; resolving inside an override of the target language
        # fails on the language prefix and hands back the path unchanged.
        for code in missing:
            urls[code] = translate_url(request.get_full_path(), code)
    elif missing:
        site = Site.find_for_request(request)
        if site is not None:
            homes = Page.objects.live().filter(
                translation_key=site.root_page.translation_key, locale__language_code__in=missing
            )
            for home in homes.select_related("locale"):
                urls[home.locale.language_code] = home.get_url(request=request)
    return {code: urls.get(code) or f"/{code}/" for code, _name in settings.LANGUAGES}


@register.inclusion_tag("cms/includes/language_links.html", takes_context=True)
def language_links(context):
    request = context.get("request")
    page = context.get("page") if isinstance(context.get("page"), Page) else None
    current = translation.get_language()
    urls = _urls_by_language(page, request)
    entries = {
        code: {"code": code, "label": LANGUAGE_LABELS.get(code, name), "url": urls[code], "current": code == current}
        for code, name in settings.LANGUAGES
    }
    easy = entries.pop("de-ls")
    return {"links": list(entries.values()), "easy": easy}


@register.simple_tag(takes_context=True)
def locale_home_url(context) -> str:
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return "/"
    home = site.root_page.localized
    return home.get_url(request=request) or "/"


# Pages the frame links to on every request: one query fetches all of them.
FRAME_PAGE_TYPES = (
    "news.NewsIndexPage",
    "academy.AcademyIndexPage",
    "ideas.IdeaIndexPage",
    "home.AccessibilityStatementPage",
)


def _active_locale() -> Locale | None:
    """The active locale, or None on a site that has no locales yet (a fresh database)."""
    return Locale.objects.filter(language_code=translation.get_language()).first()


def _frame_pages(context) -> dict:
    """The frame's pages in the active locale, by model label, cached on the request."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    request = context.get("request")
    language = translation.get_language()
    cache = getattr(request, "_portal_frame_pages", None) if request is not None else None
    if cache is not None and cache["language"] == language:
        return cache
    locale = _active_locale()
    labels_by_type = {ContentType.objects.get_for_model(apps.get_model(label)).pk: label for label in FRAME_PAGE_TYPES}
    found: dict = {"language": language, "footer": []}
    if locale is not None:
        from home.models import StandardPage

        frame_pages = Page.objects.live().filter(locale=locale, content_type_id__in=labels_by_type)
        for page in frame_pages.select_related("locale").order_by("path"):
            found.setdefault(labels_by_type[page.content_type_id], page)
        found["footer"] = list(
            StandardPage.objects.live().filter(locale=locale, in_footer=True).select_related("locale").order_by("path")
        )
        _legal_fallbacks(found, locale)
    if request is not None:
        request._portal_frame_pages = found
    return found


def _legal_fallbacks(found: dict, locale: Locale) -> None:
    """A legally required link never vanishes: where a locale lacks the accessibility statement or
    a footer page, the German one stands in (marked ``lang="de"`` in the footer)."""
    from home.models import AccessibilityStatementPage, StandardPage

    if locale.language_code == settings.LANGUAGE_CODE:
        return
    default = Locale.get_default()
    statement = "home.AccessibilityStatementPage"
    if statement not in found:
        found[statement] = (
            AccessibilityStatementPage.objects.live().filter(locale=default).select_related("locale").first()
        )
    present = {page.translation_key for page in found["footer"]}
    german = (
        StandardPage.objects.live().filter(locale=default, in_footer=True).select_related("locale").order_by("path")
    )
    found["footer"] += [page for page in german if page.translation_key not in present]


@register.simple_tag(takes_context=True)
def locale_page_of_type(context, model_label: str):
    """The live page of a type in the active locale (menu and footer links)."""
    if model_label in FRAME_PAGE_TYPES:
        return _frame_pages(context).get(model_label)
    from django.apps import apps

    return apps.get_model(model_label).objects.live().filter(locale=_active_locale()).first()


@register.simple_tag
def portal_service_links():
    """The portal's services in the active language (``home.portal_services``)."""
    from home.portal_services import portal_services

    return portal_services(language=translation.get_language() or settings.LANGUAGE_CODE)


@register.simple_tag(takes_context=True)
def footer_pages(context):
    return _frame_pages(context)["footer"]


META_DESCRIPTION_LENGTH = 160


@register.simple_tag(takes_context=True)
def meta_description(context) -> str:
    """The page's search description, else its teaser or intro, else the portal's own description."""
    page = context.get("page")
    text = ""
    if isinstance(page, Page):
        text = page.search_description or getattr(page, "teaser", "") or getattr(page, "intro", "") or ""
    text = " ".join(strip_tags(str(text)).split())
    if not text:
        text = gettext(
            "Norderstedt GO!: Nachrichten der Stadt, Ausleihen im Stadtpark, "
            "Kurse der Digitalakademie und der Ideenspeicher."
        )
    return Truncator(text).chars(META_DESCRIPTION_LENGTH)


def _locale_codes(context) -> dict[int, str]:
    """Every locale's language code by id, once per request."""
    request = context.get("request")
    codes = getattr(request, "_portal_locale_codes", None) if request is not None else None
    if codes is None:
        codes = dict(Locale.objects.values_list("pk", "language_code"))
        if request is not None:
            request._portal_locale_codes = codes
    return codes


def _spoken(code: str) -> str:
    """The language a locale's text is written in: Leichte Sprache is German."""
    return "de" if code == "de-ls" else code


def _source_attrs(code: str) -> str:
    """The attributes of text written in ``code`` on a page in the active language: ``lang`` when the
    language differs (WCAG 3.1.2), and ``data-easy-language="no"`` on a Leichte Sprache page for text
    that is not Leichte Sprache, which the Leichte Sprache check skips and readers are told about."""
    page_language = translation.get_language() or settings.LANGUAGE_CODE
    lang = format_html(' lang="{}"', _spoken(code)) if _spoken(code) != _spoken(page_language) else ""
    easy = format_html(' data-easy-language="{}"', "no") if page_language == "de-ls" and code != "de-ls" else ""
    return format_html("{}{}", lang, easy)


@register.simple_tag(takes_context=True)
def lang_attr(context, obj) -> str:
    """The attributes for text of a translatable record shown on a page of another language (the
    German source standing in for a missing translation), so screen readers switch voice."""
    code = _locale_codes(context).get(getattr(obj, "locale_id", None))
    return _source_attrs(code) if code else ""


@register.simple_tag
def text_lang(code: str) -> str:
    """The attributes for text written in the language ``code`` (a search result, say)."""
    return _source_attrs(code) if code else ""


@register.simple_tag
def german_text_attr() -> str:
    """The attributes for text that only exists in standard German: what citizens write (ideas)."""
    return _source_attrs(settings.LANGUAGE_CODE)


@register.simple_tag(takes_context=True)
def source_lang(context, field: str, block_id: str = "") -> str:
    """The ``lang`` attributes for a field (or a stream block) of the page that wagtail-localize still
    shows in the source language, because its translation is missing."""
    from home.localization import source_language_parts

    page = context.get("page")
    if not isinstance(page, Page):
        return ""
    path = f"{field}.{block_id}" if block_id else field
    return _source_attrs(settings.LANGUAGE_CODE) if path in source_language_parts(page) else ""


@register.simple_tag(takes_context=True)
def include_stream(context, field: str = "body") -> str:
    """``{% include_block page.body %}``, with each block still in the source language wrapped in an
    element that says so (``lang="de"``); translated blocks render exactly as include_block does."""
    page = context.get("page")
    flat = context.flatten()
    parts = []
    for block in getattr(page, field):
        html = block.render_as_block(context=flat)
        attrs = source_lang(context, field, block.id)
        parts.append(format_html("<div{}>{}</div>", attrs, html) if attrs else html)
    return format_html_join("", "{}", ((part,) for part in parts))

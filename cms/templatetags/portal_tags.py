"""Template tags for the page frame: language links and the Leichte Sprache link."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from wagtail.models import Locale, Page, Site

register = template.Library()

LANGUAGE_LABELS = {"de": "Deutsch", "en": "English", "de-ls": "Leichte Sprache"}


def _page_url_in(code: str, page: Page | None, request) -> str:
    """The same page in another locale; failing that, that locale's home page."""
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        return f"/{code}/"
    if page is not None:
        translated = page.get_translation_or_none(locale)
        if translated is not None and translated.live:
            return translated.get_url(request=request)
    site = Site.find_for_request(request)
    if page is None and request is not None:
        with translation.override(code):
            return translate_url(request.get_full_path(), code)
    if site is not None:
        home = site.root_page.get_translation_or_none(locale)
        if home is not None and home.live:
            return home.get_url(request=request)
    return f"/{code}/"


@register.inclusion_tag("cms/includes/language_links.html", takes_context=True)
def language_links(context):
    request = context.get("request")
    page = context.get("page") if isinstance(context.get("page"), Page) else None
    current = translation.get_language()
    links = [
        {
            "code": code,
            "label": LANGUAGE_LABELS.get(code, name),
            "url": _page_url_in(code, page, request),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
        if code != "de-ls"
    ]
    easy = {
        "code": "de-ls",
        "label": LANGUAGE_LABELS["de-ls"],
        "url": _page_url_in("de-ls", page, request),
        "current": current == "de-ls",
    }
    return {"links": links, "easy": easy}


@register.simple_tag(takes_context=True)
def locale_home_url(context) -> str:
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return "/"
    home = site.root_page.localized
    return home.get_url(request=request) or "/"


def _active_locale() -> Locale | None:
    """The active locale, or None on a site that has no locales yet (a fresh database)."""
    return Locale.objects.filter(language_code=translation.get_language()).first()


@register.simple_tag(takes_context=True)
def locale_page_of_type(context, model_label: str):
    """The live page of a type in the active locale (footer links: Impressum, BITV)."""
    from django.apps import apps

    model = apps.get_model(model_label)
    return model.objects.live().filter(locale=_active_locale()).first()


@register.simple_tag
def footer_pages():
    from home.models import StandardPage

    return list(StandardPage.objects.live().filter(locale=_active_locale(), in_footer=True).order_by("path"))

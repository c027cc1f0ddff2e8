"""Reads about translations: which parts of a translated page still show the source's text.

wagtail-localize publishes a translation before every segment is translated; a segment without a
translation keeps the source text (German). Those parts must say so with ``lang`` (WCAG 3.1.2), so
screen readers switch voice, and on a Leichte Sprache page they are not Leichte Sprache.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef

from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation

# Segments that never show as page text, or are never translated (the slug stays the source's).
INVISIBLE_FIELDS = {"slug", "seo_title", "search_description"}


def source_language_parts(page: Page) -> frozenset[str]:
    """The paths of ``page`` that show the source's text: a field name (``"teaser"``) when its segment
    is untranslated, ``"body.<block id>"`` when every segment of that stream block is untranslated.

    A page in the source language has none (no query); a translated page costs one query, and the
    answer is kept on the page object for the rest of the request.
    """
    cached = getattr(page, "_source_language_parts", None)
    if cached is not None:
        return cached
    parts: frozenset[str] = frozenset()
    if page.locale.language_code != settings.LANGUAGE_CODE:
        parts = _untranslated_paths(page)
    page._source_language_parts = parts
    return parts


def _untranslated_paths(page: Page) -> frozenset[str]:
    translated = StringTranslation.objects.filter(
        translation_of=OuterRef("string_id"), context=OuterRef("context_id"), locale=page.locale_id
    )
    segments = (
        StringSegment.objects.filter(source__object_id=page.translation_key)
        .exclude(source__locale_id=page.locale_id)
        .annotate(translated=Exists(translated))
        .values_list("context__path", "translated")
    )
    done: dict[str, bool] = {}
    for path, is_translated in segments:
        field, _dot, rest = path.partition(".")
        if field in INVISIBLE_FIELDS:
            continue
        key = f"{field}.{rest.split('.', 1)[0]}" if rest else field
        done[key] = done.get(key, False) or is_translated
    return frozenset(key for key, any_translated in done.items() if not any_translated)

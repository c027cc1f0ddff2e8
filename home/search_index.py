"""Writes of the site search index (``home.models.SearchEntry``).

Each part of the portal contributes documents: every live public page, each course page with its
coming dates and places, each kind of thing to borrow, each public idea, and the portal's services.
``search_index_rebuild`` writes them all (``seed_demo``, the hourly job in ``cms.schedules``, and
``manage.py search_rebuild``); ``search_entries_refresh`` rewrites one object's rows in every
language, called by the tasks that ``home.signals`` enqueue after commit when an editor publishes
or a record changes. Both are idempotent. docs/editorial.md, "Site search", explains the ranking.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlparse

import snowballstemmer

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from wagtail.models import Locale, Page
from wagtail.search import index

from home.models import SearchEntry
from home.portal_services import portal_services

# What each kind weighs against the text's own relevance: services and things to borrow first.
BOOST = {
    SearchEntry.Kind.SERVICE: 30,
    SearchEntry.Kind.ITEM_TYPE: 25,
    SearchEntry.Kind.COURSE: 15,
    SearchEntry.Kind.PAGE: 0,
    SearchEntry.Kind.IDEA: 0,
}
# Words for what a kind of entry is, so "Kurs" finds every course and "Idee" every idea.
KIND_KEYWORDS = {
    SearchEntry.Kind.COURSE: _("Kurs Kurse Termin"),
    SearchEntry.Kind.ITEM_TYPE: _("ausleihen Leihgegenstand"),
    SearchEntry.Kind.IDEA: _("Idee Ideen Vorschlag"),
}
# PostgreSQL's text search configuration per language of the text (Leichte Sprache is German).
TEXT_SEARCH_CONFIG = {"de": "german", "de-ls": "german", "en": "english"}
SNOWBALL = {"german": "german", "english": "english"}
WORD = re.compile(r"\w+")
TEXT_LIMIT = 20_000


@dataclass(frozen=True)
class Document:
    kind: str
    key: str
    title: str
    url: str
    summary: str = ""
    text: str = ""
    keywords: str = ""
    text_language: str = ""


def languages() -> list[str]:
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def stems(text: str, *, text_language: str) -> str:
    """The text's words as Snowball stems, space-delimited (the SQLite fallback matches on these)."""
    stemmer = snowballstemmer.stemmer(SNOWBALL[TEXT_SEARCH_CONFIG.get(text_language, "german")])
    words = {word.casefold().replace("ß", "ss") for word in WORD.findall(text)}
    return " " + " ".join(sorted(set(stemmer.stemWords(sorted(words))))) + " "


# --- Documents -------------------------------------------------------------------------------


def _path(url: str | None) -> str:
    return urlparse(url).path if url else ""


def _page_text(page: Page) -> str:
    """The text of the fields the page model declares in ``search_fields`` (as Wagtail indexes them)."""
    parts = []
    for search_field in page.get_search_fields():
        if not isinstance(search_field, index.SearchField) or search_field.field_name == "title":
            continue
        name = search_field.field_name
        value = getattr(page, name, None)
        field = search_field.get_field(page.__class__) if hasattr(page.__class__, name) else None
        if callable(value):
            value = value()
        if hasattr(field, "get_searchable_content"):
            parts.extend(str(text) for text in field.get_searchable_content(value))
        elif value:
            parts.append(str(value))
    return strip_tags(" ".join(parts))[:TEXT_LIMIT]


def _course_dates(page: Page, language: str) -> str:
    """A course's coming dates and places, so "Kurs Dienstag" or a library's name finds it."""
    from academy.models import Session

    sessions = Session.objects.filter(
        course_id=page.course_id, status=Session.Status.SCHEDULED, end__gte=timezone.now()
    ).select_related("location")
    with override(language):
        return " ".join(
            f"{date_format(timezone.localtime(session.start), 'l j. F Y')} {session.location.name} "
            f"{session.location.address}"
            for session in sessions.order_by("start")[:20]
        )


def page_documents(page: Page) -> list[Document]:
    page = page.specific
    url = _path(page.get_url())
    if not url or page.depth < 2:
        return []
    language = page.locale.language_code
    summary = getattr(page, "teaser", "") or getattr(page, "intro", "") or page.search_description
    text = _page_text(page)
    kind = SearchEntry.Kind.PAGE
    if getattr(page, "course_id", None):
        kind = SearchEntry.Kind.COURSE
        text = f"{text} {_course_dates(page, language)}"
    return [
        Document(
            kind,
            f"page:{page.translation_key}",
            page.title,
            url,
            Truncator(strip_tags(str(summary))).chars(300),
            text,
            text_language=language,
        )
    ]


def _live_pages() -> Iterator[Page]:
    yield from Page.objects.live().public().filter(depth__gt=1).specific().iterator(chunk_size=200)


def item_type_documents(*, translation_key: str | None = None) -> list[tuple[str, Document]]:
    from rentals.selectors import item_type_translations, item_types_source

    sources = item_types_source()
    if translation_key:
        sources = sources.filter(translation_key=translation_key)
    sources = list(sources)
    documents = []
    for language in languages():
        locale = Locale.objects.filter(language_code=language).first()
        if locale is None:
            continue
        translated = item_type_translations(item_types=sources, locale=locale)
        with override(language):
            for source in sources:
                item_type = translated[source.pk]
                documents.append(
                    (
                        language,
                        Document(
                            SearchEntry.Kind.ITEM_TYPE,
                            f"item_type:{source.translation_key}",
                            item_type.name,
                            reverse("rentals:item_type", kwargs={"slug": source.slug}),
                            Truncator(item_type.description).chars(300),
                            f"{item_type.description} {item_type.rules_of_use}",
                            text_language=item_type.locale.language_code,
                        ),
                    )
                )
    return documents


def idea_documents(*, pk: int | None = None) -> list[tuple[str, Document]]:
    """Public ideas, in every language's search: citizens write them in German."""
    from ideas.selectors.public import ideas_public

    ideas = ideas_public()
    if pk is not None:
        ideas = ideas.filter(pk=pk)
    documents = []
    for idea in ideas.iterator(chunk_size=200):
        for language in languages():
            with override(language):
                url = reverse("ideas:detail", kwargs={"pk": idea.pk})
            documents.append(
                (
                    language,
                    Document(
                        SearchEntry.Kind.IDEA,
                        f"idea:{idea.pk}",
                        idea.title,
                        url,
                        Truncator(idea.description).chars(300),
                        f"{idea.description} {idea.need}",
                        text_language=settings.LANGUAGE_CODE,
                    ),
                )
            )
    return documents


def service_documents() -> list[tuple[str, Document]]:
    return [
        (
            language,
            Document(
                SearchEntry.Kind.SERVICE,
                f"service:{service.key}",
                service.title,
                service.url,
                service.summary,
                service.summary,
                service.keywords,
                text_language=language,
            ),
        )
        for language in languages()
        for service in portal_services(language=language)
    ]


# --- Writing ---------------------------------------------------------------------------------


def _entry(language: str, document: Document) -> SearchEntry:
    text_language = document.text_language or language
    with override(language):
        keywords = f"{document.keywords} {KIND_KEYWORDS.get(document.kind, '')}".strip()
    return SearchEntry(
        language=language,
        kind=document.kind,
        key=document.key,
        text_language=text_language,
        title=document.title[:255],
        summary=document.summary[:300],
        keywords=keywords,
        words=f"{document.title} {keywords}",
        text=document.text,
        url=document.url[:300],
        boost=BOOST[document.kind],
        stems=stems(f"{document.title} {keywords} {document.text}", text_language=text_language),
    )


def _vectors_update(entries: Iterable[SearchEntry]) -> None:
    """PostgreSQL: title and keywords weigh most (A), the summary next (B), the text least (C)."""
    if connection.vendor != "postgresql":
        return
    ids_by_config: dict[str, list[int]] = {}
    for entry in entries:
        ids_by_config.setdefault(TEXT_SEARCH_CONFIG.get(entry.text_language, "german"), []).append(entry.pk)
    for config, ids in ids_by_config.items():
        SearchEntry.objects.filter(pk__in=ids).update(
            vector=SearchVector("title", "keywords", weight="A", config=config)
            + SearchVector("summary", weight="B", config=config)
            + SearchVector("text", weight="C", config=config)
        )


def _write(rows: list[tuple[str, Document]], *, replace_keys: set[str] | None) -> int:
    with transaction.atomic():
        stale = SearchEntry.objects.all() if replace_keys is None else SearchEntry.objects.filter(key__in=replace_keys)
        stale.delete()
        entries = SearchEntry.objects.bulk_create([_entry(language, document) for language, document in rows])
        _vectors_update(entries)
    return len(entries)


def search_index_rebuild() -> int:
    """Write every document again; returns the number of entries. Idempotent."""
    rows = [(document.text_language, document) for page in _live_pages() for document in page_documents(page)]
    rows += item_type_documents() + idea_documents() + service_documents()
    return _write(rows, replace_keys=None)


def search_entries_refresh(*, kind: str, key: str) -> int:
    """Rewrite the entries of one object in every language (none when it is gone or not public).

    ``kind`` is ``page`` (``key`` a translation key), ``item_type`` (a translation key) or ``idea``
    (a primary key). Services change only with a release, and the rebuild writes them.
    """
    if kind == "page":
        pages = Page.objects.live().public().filter(translation_key=key).specific()
        rows = [(document.text_language, document) for page in pages for document in page_documents(page)]
    elif kind == "item_type":
        rows = item_type_documents(translation_key=key)
    elif kind == "idea":
        rows = idea_documents(pk=int(key))
    else:
        raise ValueError(kind)
    return _write(rows, replace_keys={f"{kind}:{key}"})

"""Reads of the site search: what a citizen's words find, in the active language.

On PostgreSQL each word is matched as a prefix against the German (or English) lexemes of
``home.models.SearchEntry`` and, for typos, by trigram word similarity (pg_trgm) against titles
and keywords. Elsewhere (SQLite, the demo) the same Snowball stemmer runs in Python and typos are
corrected against the titles' and keywords' words with difflib: fewer fine points of ranking, the
same answers for the queries citizens use (docs/decisions.md, "Site search").
"""

import difflib
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import translation

from home.models import SearchEntry
from home.search_index import TEXT_SEARCH_CONFIG, stems

QUERY_LENGTH = 200
MAX_TERMS = 6
RESULTS_PER_PAGE = 10
CANDIDATES = 200
TRIGRAM_THRESHOLD = 0.5
# A kind's boost (home.search_index.BOOST) outweighs differences in relevance: a service that
# matches every word comes before the best-matching article.
BOOST_WEIGHT = 1 / 20
SUGGESTION_CUTOFF = 0.75
WORD = re.compile(r"\w+")
# Words that carry no meaning on their own; PostgreSQL's dictionaries drop them too.
STOPWORDS = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "und",
        "oder",
        "im",
        "in",
        "am",
        "an",
        "auf",
        "zu",
        "zum",
        "zur",
        "für",
        "mit",
        "von",
        "vom",
        "bei",
        "ich",
        "wie",
        "was",
        "wo",
        "wann",
        "ist",
        "sind",
        "kann",
        "the",
        "a",
        "an",
        "of",
        "for",
        "to",
        "and",
        "or",
        "how",
        "what",
        "where",
    ]
)
# The citizen's word → what the portal calls it (compared casefolded, ß as ss).
SYNONYMS = {
    "rolli": ("rollator",),
    "gehwagen": ("rollator",),
    "gehhilfe": ("rollator",),
    "walker": ("rollator",),
    "handwagen": ("bollerwagen",),
    "leiterwagen": ("bollerwagen",),
    "handcart": ("bollerwagen",),
    "locker": ("schliessfach",),
    "fach": ("schliessfach",),
    "handy": ("smartphone",),
    "pc": ("computer",),
    "laptop": ("computer",),
    "push": ("benachrichtigung",),
    "mitteilung": ("benachrichtigung",),
    "vorschlag": ("idee",),
    "seminar": ("kurs",),
    "schulung": ("kurs",),
}


@dataclass
class SearchResults:
    query: str
    page: PaginatorPage
    # Words that the portal knows, close to words of the query it did not know ("Meinten Sie").
    suggestions: list[str] = field(default_factory=list)


def _normalize(word: str) -> str:
    return word.casefold().replace("ß", "ss")


def query_terms(query: str) -> list[str]:
    """The meaningful words of a query, at most ``MAX_TERMS``, without any search syntax."""
    words = [_normalize(word) for word in WORD.findall(query[:QUERY_LENGTH]) if word.strip("_")]
    terms = [word for word in dict.fromkeys(words) if word not in STOPWORDS and len(word) > 1]
    return terms[:MAX_TERMS]


def _groups(terms: list[str]) -> list[tuple[str, ...]]:
    return [(term, *SYNONYMS.get(term, ())) for term in terms]


def _configs(language: str) -> list[str]:
    """English pages fall back to German text, so English searches read both dictionaries."""
    own = TEXT_SEARCH_CONFIG.get(language, "german")
    return list(dict.fromkeys([own, "german"]))


def _tsquery(words: tuple[str, ...], language: str) -> SearchQuery:
    raw = " | ".join(f"{word}:*" for word in words)
    queries = [SearchQuery(raw, config=config, search_type="raw") for config in _configs(language)]
    combined = queries[0]
    for query in queries[1:]:
        combined |= query
    return combined


def _postgres_candidates(language: str, groups: list[tuple[str, ...]], *, every_word: bool) -> list[SearchEntry]:
    entries = SearchEntry.objects.filter(language=language)
    similarity_names = []
    condition = Q() if every_word else Q(pk__in=[])
    for number, group in enumerate(groups):
        name = f"similarity_{number}"
        entries = entries.annotate(**{name: TrigramWordSimilarity(group[0], "words")})
        similarity_names.append(name)
        matches = Q(vector=_tsquery(group, language)) | Q(**{f"{name}__gte": TRIGRAM_THRESHOLD})
        condition = condition & matches if every_word else condition | matches
    everything = _tsquery(tuple(word for group in groups for word in group), language)
    similarity = Greatest(*[F(name) for name in similarity_names]) if len(groups) > 1 else F(similarity_names[0])
    return list(
        entries.filter(condition)
        .annotate(
            score=SearchRank(F("vector"), everything) + similarity * Value(0.5) + F("boost") * Value(BOOST_WEIGHT)
        )
        .order_by("-score", "pk")[:CANDIDATES]
    )


def _fallback_candidates(language: str, groups: list[tuple[str, ...]], *, every_word: bool) -> list[SearchEntry]:
    stem_groups = [[stems(word, text_language=language).strip() for word in group] for group in groups]
    condition = Q() if every_word else Q(pk__in=[])
    for group in stem_groups:
        matches = Q(pk__in=[])
        for stem in group:
            matches |= Q(stems__contains=f" {stem}")
        condition = condition & matches if every_word else condition | matches
    entries = list(SearchEntry.objects.filter(language=language).filter(condition)[: CANDIDATES * 5])
    for entry in entries:
        title_stems = stems(f"{entry.title} {entry.keywords}", text_language=entry.text_language)
        in_title = sum(any(f" {stem}" in title_stems for stem in group) for group in stem_groups)
        in_text = sum(any(f" {stem}" in entry.stems for stem in group) for group in stem_groups)
        entry.score = (3 * in_title + in_text) / (4 * len(stem_groups)) + entry.boost * BOOST_WEIGHT
    return sorted(entries, key=lambda entry: (-entry.score, entry.pk))[:CANDIDATES]


def _candidates(language: str, groups: list[tuple[str, ...]], *, every_word: bool) -> list[SearchEntry]:
    if connection.vendor == "postgresql":
        return _postgres_candidates(language, groups, every_word=every_word)
    return _fallback_candidates(language, groups, every_word=every_word)


def vocabulary(*, language: str) -> list[str]:
    """The words of every title and keyword list in ``language``: what a suggestion may offer."""
    words: dict[str, str] = {}
    for title, keywords in SearchEntry.objects.filter(language=language).values_list("title", "keywords"):
        for word in WORD.findall(f"{title} {keywords}"):
            if len(word) > 3 and not word.isdigit():
                words.setdefault(_normalize(word), word)
    return sorted(words.values(), key=_normalize)


def _known(language: str, word: str) -> bool:
    if connection.vendor == "postgresql":
        return SearchEntry.objects.filter(language=language, vector=_tsquery((word,), language)).exists()
    stem = stems(word, text_language=language).strip()
    return SearchEntry.objects.filter(language=language, stems__contains=f" {stem}").exists()


def _corrections(language: str, terms: list[str]) -> dict[str, list[str]]:
    """For each word of the query that no entry contains, the closest known words."""
    unknown = [term for term in terms if term not in SYNONYMS and not _known(language, term)]
    if not unknown:
        return {}
    known = vocabulary(language=language)
    by_normal = {_normalize(word): word for word in known}
    corrections = {}
    for term in unknown:
        close = difflib.get_close_matches(term, list(by_normal), n=3, cutoff=SUGGESTION_CUTOFF)
        if close:
            corrections[term] = [by_normal[word] for word in close]
    return corrections


def _deduplicated(entries: list[SearchEntry]) -> list[SearchEntry]:
    """One result per address: a service and its section page are the same place."""
    seen: set[str] = set()
    results = []
    for entry in entries:
        if entry.url not in seen:
            seen.add(entry.url)
            results.append(entry)
    return results


def site_search(*, query: str, page_number: str = "1", language: str | None = None) -> SearchResults:
    """What the words of ``query`` find in the active language: every word must match (as a
    prefix, by stem, through a synonym or, for a typo, a close title word) before any does.
    Services and things to borrow rank first, then courses, pages and ideas."""
    language = language or translation.get_language()
    terms = query_terms(query)
    if not terms:
        return SearchResults(query, Paginator([], RESULTS_PER_PAGE).get_page(1))
    corrections = _corrections(language, terms)
    groups = _groups(terms)
    if connection.vendor != "postgresql":
        groups = [group + tuple(_normalize(word) for word in corrections.get(group[0], ())[:1]) for group in groups]
    entries = _candidates(language, groups, every_word=True) or _candidates(language, groups, every_word=False)
    suggestions = [words[0] for words in corrections.values()]
    return SearchResults(query, Paginator(_deduplicated(entries), RESULTS_PER_PAGE).get_page(page_number), suggestions)

"""Reads for the home page.

The home page is where apps meet: it may call other apps' selectors (house style,
"Which app may import which"): upcoming courses and "heute im Stadtpark ausleihbar".
"""

import re
from typing import Any

from wagtail.models import Page

from academy.selectors import courses_for_home
from news.selectors import news_latest
from rentals.selectors import available_today


def home_page_sections(*, home: Page) -> dict[str, Any]:
    return {
        "latest_news": news_latest(locale=home.locale, limit=4),
        "upcoming_courses": courses_for_home(locale=home.locale, limit=3),
        "rentals_today": available_today(),
    }


# Anything but letters, digits, hyphens and spaces: search terms never need it.
SEARCH_SYNTAX = re.compile(r"[^\w\s-]+")


def search_terms(query: str) -> str:
    """The words of a citizen's query, without characters a search engine would read as syntax.

    Wagtail's SQLite backend (FTS5) puts each term in double quotes without
    escaping, so a ``"`` ended the string early ("unterminated string", a 500);
    PostgreSQL copes, but the same words should find the same pages everywhere.
    """
    return " ".join(SEARCH_SYNTAX.sub(" ", query).split())


def site_search(*, query: str, page_number: str = "1"):
    """Full-text search over live pages in the active locale.

    Wagtail's database backend uses PostgreSQL full-text search on PostgreSQL
    and a simpler fallback on SQLite.
    """
    from django.core.paginator import Paginator

    from wagtail.models import Locale

    terms = search_terms(query)
    if not terms:
        return Paginator([], 10).get_page(1)
    pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
    return Paginator(pages.search(terms), 10).get_page(page_number)

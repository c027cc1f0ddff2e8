"""Reads for the home page.

The home page is where apps meet: it may call other apps' selectors (house style,
"Which app may import which"): upcoming courses and "heute im Stadtpark ausleihbar".
"""

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

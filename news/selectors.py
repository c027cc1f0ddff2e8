"""Reads for news: lists, filters and feeds."""

from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet

from wagtail.models import Locale, Page

from news.models import NewsPage
from notifications.models import Topic
from notifications.selectors import topic_by_slug, topics_for_locale

NEWS_PER_PAGE = 10


def news_live(*, locale: Locale) -> QuerySet[NewsPage]:
    """Published news in one locale, newest first, with what lists render."""
    return (
        NewsPage.objects.live()
        .public()
        .filter(locale=locale)
        .select_related("image", "locale")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("sort_order")))
        .order_by("-date", "-first_published_at")
    )


def news_latest(*, locale: Locale, limit: int = 4) -> list[NewsPage]:
    return list(news_live(locale=locale)[:limit])


def news_for_topic(*, locale: Locale, topic_slug: str) -> QuerySet[NewsPage]:
    """News tagged with a topic. Matches by slug, so translated pages whose topic
    link still points at the German topic are found too."""
    return news_live(locale=locale).filter(topics__slug=topic_slug).distinct()


def news_paginated(*, locale: Locale, topic_slug: str = "", page_number: str = "1") -> PaginatorPage:
    queryset = news_for_topic(locale=locale, topic_slug=topic_slug) if topic_slug else news_live(locale=locale)
    return Paginator(queryset, NEWS_PER_PAGE).get_page(page_number)


def news_index_context(*, index: Page, topic_slug: str, page_number: str) -> dict[str, Any]:
    topic = topic_by_slug(slug=topic_slug, locale=index.locale) if topic_slug else None
    return {
        "news_page": news_paginated(
            locale=index.locale, topic_slug=topic.slug if topic else "", page_number=page_number
        ),
        "topics": list(topics_for_locale(locale=index.locale)),
        "active_topic": topic,
        "unknown_topic": bool(topic_slug and topic is None),
    }


def news_published_by_id(*, page_id: int) -> NewsPage | None:
    return (
        NewsPage.objects.live()
        .public()
        .filter(pk=page_id)
        .select_related("image", "locale")
        .prefetch_related("topics")
        .first()
    )

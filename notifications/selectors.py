"""Reads for topics."""

from django.db.models import QuerySet

from wagtail.models import Locale

from notifications.models import Topic


def topics_for_locale(*, locale: Locale | None = None) -> QuerySet[Topic]:
    """Topics in the given (or active) locale, falling back to German names.

    A topic that has no translation yet is shown with its source name, so a
    citizen always sees every topic.
    """
    locale = locale or Locale.get_active()
    localized = Topic.objects.filter(locale=locale)
    missing = Topic.objects.filter(locale__language_code="de").exclude(
        translation_key__in=localized.values("translation_key")
    )
    return (localized | missing).order_by("sort_order", "name")


def topic_by_slug(*, slug: str, locale: Locale | None = None) -> Topic | None:
    locale = locale or Locale.get_active()
    return (
        Topic.objects.filter(slug=slug, locale=locale).first()
        or Topic.objects.filter(slug=slug, locale__language_code="de").first()
    )

"""Reads for topics."""

from django.db.models import QuerySet

from wagtail.models import Locale

from notifications.models import DEFAULT_QUIET_END, DEFAULT_QUIET_START, Topic


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


def preferences_for(*, subscription, user, session_topics: list[str], locale: Locale | None = None) -> dict:
    """What the "Benachrichtigungen" page shows: each topic, whether it is chosen, the email mode."""
    from notifications.models import EmailSubscription

    chosen = {topic.slug for topic in subscription.topics.all()} if subscription is not None else set(session_topics)
    email_modes = {}
    if user is not None and user.is_authenticated:
        email_modes = dict(EmailSubscription.objects.filter(user=user).values_list("topic__slug", "mode"))
    topics = [
        {"topic": topic, "chosen": topic.slug in chosen, "email": email_modes.get(topic.slug, "")}
        for topic in topics_for_locale(locale=locale)
    ]
    return {
        "topics": topics,
        "subscription": subscription,
        "quiet_start": subscription.quiet_start if subscription is not None else DEFAULT_QUIET_START,
        "quiet_end": subscription.quiet_end if subscription is not None else DEFAULT_QUIET_END,
        "push_on": subscription is not None and subscription.active,
    }

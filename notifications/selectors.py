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


def campaigns_for_report(*, limit: int = 50):
    """The newest campaigns with their page and locale, for the admin report."""
    from notifications.models import Campaign

    return Campaign.objects.select_related("page", "locale").order_by("-created_at")[:limit]


def campaigns_for_page(*, page) -> list:
    """Every campaign of a page's translation group, newest first (the editor's push panel)."""
    from notifications.models import Campaign

    return list(Campaign.objects.filter(translation_key=page.translation_key).order_by("-created_at")[:10])


def subscribers_per_topic() -> list[dict]:
    """Active devices and email subscribers per topic (German names)."""
    from django.db.models import Count, Q

    return list(
        Topic.objects.filter(locale__language_code="de")
        .annotate(
            devices=Count("subscriptions", filter=Q(subscriptions__active=True), distinct=True),
            emails=Count("email_subscriptions", distinct=True),
        )
        .order_by("sort_order", "name")
        .values("slug", "name", "devices", "emails")
    )


def sends_per_day(*, days: int = 14) -> list[dict]:
    """Successful pushes per day (Europe/Berlin) for the last ``days`` days, oldest first."""
    import datetime

    from django.db.models import Count
    from django.db.models.functions import TruncDate
    from django.utils import timezone

    from notifications.models import Delivery, Outcome

    today = timezone.localdate()
    start = today - datetime.timedelta(days=days - 1)
    counts = dict(
        Delivery.objects.filter(outcome=Outcome.SENT, sent_at__date__gte=start)
        .annotate(day=TruncDate("sent_at"))
        .values("day")
        .annotate(count=Count("pk"))
        .values_list("day", "count")
    )
    rows = [{"day": start + datetime.timedelta(days=offset)} for offset in range(days)]
    peak = max(counts.values(), default=0) or 1
    for row in rows:
        row["count"] = counts.get(row["day"], 0)
        row["percent"] = round(100 * row["count"] / peak)
    return rows


def notifications_for_account(*, user) -> dict:
    """The "Benachrichtigungen" section of Mein Konto: devices and email choices."""
    from notifications.models import EmailSubscription, Subscription

    return {
        "devices": list(Subscription.objects.filter(user=user, active=True).order_by("-created_at")),
        "emails": list(EmailSubscription.objects.filter(user=user).select_related("topic").order_by("topic__name")),
    }

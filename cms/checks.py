"""Deployment checks of our own (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.compatibility, deploy=True)
def task_broker_check(app_configs, **kwargs):
    """The ORM broker is right for ``make run``; a town's portal wants Redis.

    With the ORM broker every task waits for the queue's poll (0.5 s), so pushes and
    locker commands arrive later (docs/notifications.md, docs/locker_bridge.md).
    """
    if "redis" in settings.Q_CLUSTER:
        return []
    return [
        Warning(
            "Tasks use django-q2's ORM broker.",
            hint="Set TASK_BROKER=redis and REDIS_URL: pushes and locker commands then wait no poll interval.",
            id="cms.W001",
        )
    ]


@register(Tags.database, deploy=True)
def schedules_check(app_configs, databases=None, **kwargs):
    """Every periodic job of ``cms.schedules`` has its row (``migrate`` writes them).

    A missing row means something silently never happens: scheduled pages stay
    drafts, pushes held by quiet hours are never sent, bookings are never released.
    Runs with ``check --deploy --database default``.
    """
    if not databases:
        return []
    from django.db import DatabaseError

    from cms.schedules import schedules_missing

    try:
        missing = schedules_missing()
    except DatabaseError:
        return []  # not migrated yet: migrate creates them
    if not missing:
        return []
    return [
        Warning(
            f"Periodic jobs without a schedule: {', '.join(missing)}.",
            hint="Run `manage.py migrate` (it creates every job of cms/schedules.py); see docs/operations.md.",
            id="cms.W002",
        )
    ]


@register(Tags.urls, deploy=True)
def site_url_check(app_configs, **kwargs):
    """Wagtail writes page links from the Site record (hostname and port), which
    can say https only on port 443 and has no path: a SITE_URL it cannot express
    would give push messages and e-mails links that lead nowhere."""
    from urllib.parse import urlsplit

    parts = urlsplit(settings.SITE_URL)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    expressible = parts.path in ("", "/") and (parts.scheme == "https") == (port == 443)
    if expressible:
        return []
    return [
        Warning(
            f"SITE_URL {settings.SITE_URL} cannot be written as a Wagtail site address.",
            hint="Use https on port 443 (or http on another port) and no path.",
            id="cms.W003",
        )
    ]

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

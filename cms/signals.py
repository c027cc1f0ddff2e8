"""Receivers of the project: schedules and the site address after ``migrate``, and a
one-off publishing run at each approved go-live time."""

from django.db import transaction


def on_post_migrate(sender, **kwargs) -> None:
    from cms.schedules import schedules_ensure
    from home.services import site_address_apply, wagtail_defaults_retire

    schedules_ensure()
    site_address_apply()
    wagtail_defaults_retire()


def on_revision_saved(sender, instance, **kwargs) -> None:
    """An approved go-live time (a page scheduled in the admin) gets its own run."""
    when = instance.approved_go_live_at
    if when is None:
        return
    from cms.schedules import publish_at_ensure

    transaction.on_commit(lambda: publish_at_ensure(when=when))

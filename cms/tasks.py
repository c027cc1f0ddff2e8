"""Project-wide tasks run by django-q2 (scheduled in ``cms.schedules``)."""

from django.core.management import call_command


def publish_scheduled_task() -> None:
    """Publish pages whose approved go-live time has come, unpublish expired ones.

    Wagtail's own ``publish_scheduled`` does the work (it sends ``page_published``,
    which starts the page's push campaign exactly once); it is idempotent, so the
    minutely run and a one-off run at the go-live time may overlap harmlessly.
    """
    call_command("publish_scheduled", verbosity=0)


def idempotency_keys_purge_task() -> None:
    """Forget API idempotency keys after 24 hours (``cms.api.idempotency``). Idempotent."""
    from cms.api.idempotency import idempotency_keys_purge

    idempotency_keys_purge()

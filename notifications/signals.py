"""Receivers: each hands off to one service. Connected in ``NotificationsConfig.ready``.

* ``page_published`` (Wagtail) -> ``campaign_create_for_page``: a page with the
  push panel that just went live gets its campaign.
* ``post_migrate`` -> the development VAPID keys (the periodic jobs are in ``cms.schedules``).
* ``user_logged_in`` -> a browser's anonymous device is linked to the citizen.
"""

from django.conf import settings

DEVICE_COOKIE = "ngo_push_device"


def on_page_published(sender, instance, revision=None, **kwargs) -> None:
    from notifications.models import PushOnPublishMixin
    from notifications.services import campaign_create_for_page

    if isinstance(instance, PushOnPublishMixin):
        campaign_create_for_page(page=instance, revision=revision)


def on_post_migrate(sender, **kwargs) -> None:
    from notifications.services import vapid_keys_ensure

    key_file = getattr(settings, "VAPID_KEY_FILE", None)
    if key_file and not settings.VAPID_PRIVATE_KEY:
        vapid_keys_ensure(path=key_file)


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    from notifications.services import subscription_link_user
    from notifications.services.subscriptions import subscription_by_key

    subscription = subscription_by_key(key=request.COOKIES.get(DEVICE_COOKIE, "")) if request else None
    if subscription is not None:
        subscription_link_user(subscription=subscription, user=user)

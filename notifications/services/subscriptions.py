"""Devices and what they follow: register, update, unregister, link to a citizen."""

import datetime
import hashlib
import secrets

from push_notifications.models import APNSDevice, GCMDevice, WebPushDevice

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from notifications.models import Platform, Subscription, Topic
from notifications.push.configuration import platform_configured

DEVICE_MODELS = {Platform.WEB: WebPushDevice, Platform.FCM: GCMDevice, Platform.APNS: APNSDevice}
DEVICE_FIELDS = {Platform.WEB: "web_device", Platform.FCM: "fcm_device", Platform.APNS: "apns_device"}
UNSET = object()


class PlatformNotConfigured(Exception):
    """The portal has no credentials for this platform, so a device of it could never get a push."""

    def __init__(self, platform: str):
        self.platform = platform
        label = Platform(platform).label if platform in Platform.values else platform
        super().__init__(
            _(
                "Benachrichtigungen für %(platform)s sind im Moment nicht möglich. "
                "Bitte melden Sie sich an und wählen Sie Ihre Themen per E-Mail."
            )
            % {"platform": label}
        )


def device_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def subscription_by_key(*, key: str) -> Subscription | None:
    if not key:
        return None
    return (
        Subscription.objects.select_related("web_device", "fcm_device", "apns_device")
        .filter(key_hash=device_key_hash(key))
        .first()
    )


def _source_topics(topic_slugs: list[str]) -> list[Topic]:
    """Topics are stored as their German (source) rows; the slug is shared by all translations."""
    return list(Topic.objects.filter(slug__in=topic_slugs, locale__language_code="de"))


def _device_create(*, platform: str, token: str, p256dh: str, auth: str, browser: str, user):
    model = DEVICE_MODELS[platform]
    model.objects.filter(registration_id=token).delete()
    values = {"registration_id": token, "active": True, "user": user}
    if platform == Platform.WEB:
        values.update(p256dh=p256dh, auth=auth, browser=(browser or "CHROME").upper())
    if platform == Platform.FCM:
        values["cloud_message_type"] = "FCM"
    return model.objects.create(**values)


@transaction.atomic
def subscription_register(
    *,
    platform: str,
    token: str,
    language: str,
    topic_slugs: list[str],
    p256dh: str = "",
    auth: str = "",
    browser: str = "",
    quiet_start: datetime.time | object | None = UNSET,
    quiet_end: datetime.time | object | None = UNSET,
    user: AbstractBaseUser | None = None,
) -> tuple[Subscription, str]:
    """Register a device and return its subscription and the new device key.

    The key is shown once; only its hash is stored. Registering a token that is
    already known replaces the old registration: whoever holds the push token
    holds the device. A platform without credentials is refused
    (``PlatformNotConfigured``): its devices would wait for pushes that never come.
    """
    if not platform_configured(platform):
        raise PlatformNotConfigured(platform)
    user = user if user is not None and user.is_authenticated else None
    device = _device_create(platform=platform, token=token, p256dh=p256dh, auth=auth, browser=browser, user=user)
    key = secrets.token_urlsafe(32)
    subscription = Subscription(
        key_hash=device_key_hash(key), platform=platform, user=user, language=language, active=True
    )
    setattr(subscription, DEVICE_FIELDS[platform], device)
    if quiet_start is not UNSET:
        subscription.quiet_start = quiet_start
    if quiet_end is not UNSET:
        subscription.quiet_end = quiet_end
    subscription.save()
    subscription.topics.set(_source_topics(topic_slugs))
    return subscription, key


@transaction.atomic
def subscription_update(
    *,
    subscription: Subscription,
    topic_slugs: list[str] | None = None,
    language: str | None = None,
    quiet_start: datetime.time | object | None = UNSET,
    quiet_end: datetime.time | object | None = UNSET,
    token: str | None = None,
    p256dh: str | None = None,
    auth: str | None = None,
    user: AbstractBaseUser | None = None,
) -> Subscription:
    """Change what a device follows, its language, quiet hours or (browser refresh) its token."""
    if language is not None:
        subscription.language = language
    if quiet_start is not UNSET:
        subscription.quiet_start = quiet_start
    if quiet_end is not UNSET:
        subscription.quiet_end = quiet_end
    device = subscription.device
    if token:
        device.registration_id = token
        if p256dh:
            device.p256dh = p256dh
        if auth:
            device.auth = auth
        device.active = True
        device.save()
        subscription.active = True
    if user is not None and user.is_authenticated:
        subscription.user = user
        type(device).objects.filter(pk=device.pk).update(user=user)
    subscription.save()
    if topic_slugs is not None:
        subscription.topics.set(_source_topics(topic_slugs))
    return subscription


@transaction.atomic
def subscription_unregister(*, subscription: Subscription) -> None:
    """Forget the device entirely: no topics, no token, no key."""
    device = subscription.device
    subscription.delete()
    if device is not None:
        device.delete()


def subscription_link_user(*, subscription: Subscription, user: AbstractBaseUser) -> Subscription:
    """Attach an anonymous device to the citizen who just signed in on it."""
    return subscription_update(subscription=subscription, user=user)


def preferences_save(
    *,
    subscription: Subscription | None,
    user: AbstractBaseUser | None,
    topic_slugs: list[str],
    email_modes: dict[str, str],
    quiet_start: datetime.time | None,
    quiet_end: datetime.time | None,
) -> None:
    """Save the "Benachrichtigungen" form: the browser's topics and a signed-in citizen's emails."""
    from notifications.services.email import email_subscriptions_set

    if subscription is not None:
        subscription_update(
            subscription=subscription, topic_slugs=topic_slugs, quiet_start=quiet_start, quiet_end=quiet_end
        )
    if user is not None and user.is_authenticated:
        email_subscriptions_set(user=user, modes=email_modes)

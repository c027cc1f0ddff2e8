"""GDPR export and erasure of a citizen's devices, e-mail choices and notices (registered with accounts.registry).

Push tokens, Web Push keys and device keys are credentials: whoever holds them
can push to the device or manage its subscription. The export names each device
by platform, date, topics and language instead, which is what the citizen
needs to recognise it.
"""

from typing import Any

from push_notifications.models import APNSDevice, GCMDevice, WebPushDevice

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q

from notifications.models import EmailDelivery, EmailSubscription, PersonalNotice, Subscription

COVERS = frozenset(
    {
        "notifications.Subscription.user",
        "notifications.EmailSubscription.user",
        "notifications.EmailDelivery.user",
        "notifications.PersonalNotice.user",
        "notifications.PersonalNotice.body",
        *(
            f"push_notifications.{model}.{name}"
            for model in ("WebPushDevice", "GCMDevice", "APNSDevice")
            for name in ("user", "name")
        ),
    }
)
NOT_PERSONAL = {
    "notifications.Topic.name": "a topic",
    "notifications.Campaign.text": "the editorial push text of a published page",
    # PushOnPublishMixin's field, on every page model that uses it.
    "news.NewsPage.push_text": "the editorial push text of a news page",
    "academy.CoursePage.push_text": "the editorial push text of a course page",
    "push_notifications.GCMDevice.cloud_message_type": "FCM's message format, a constant",
    "push_notifications.WNSDevice.*": "the portal registers no Windows devices; rows would go with the user (CASCADE)",
}

DEVICE_LINKS = ((WebPushDevice, "web_device"), (GCMDevice, "fcm_device"), (APNSDevice, "apns_device"))


def _time(value) -> str | None:
    return value.isoformat() if value else None


def _devices_export(user: AbstractBaseUser) -> list[dict[str, Any]]:
    subscriptions = Subscription.objects.filter(user=user).prefetch_related("topics").order_by("created_at")
    return [
        {
            "platform": subscription.platform,
            "created_at": _time(subscription.created_at),
            "topics": sorted(topic.name for topic in subscription.topics.all()),
            "language": subscription.language,
            "quiet_start": _time(subscription.quiet_start),
            "quiet_end": _time(subscription.quiet_end),
            "time_zone": subscription.time_zone,
            "active": subscription.active,
        }
        for subscription in subscriptions
    ]


def notifications_export(*, user: AbstractBaseUser) -> dict[str, list[dict[str, Any]]]:
    """Devices (without tokens or keys), e-mail topics, personal notices and topic e-mails received."""
    email_subscriptions = EmailSubscription.objects.filter(user=user).select_related("topic").order_by("created_at")
    notices = PersonalNotice.objects.filter(user=user).order_by("created_at")
    emails = EmailDelivery.objects.filter(user=user).select_related("campaign").order_by("campaign__created_at")
    return {
        "devices": _devices_export(user),
        "email_topics": [
            {"topic": choice.topic.name, "mode": choice.mode, "created_at": _time(choice.created_at)}
            for choice in email_subscriptions
        ],
        "personal_notices": [
            {
                "title": notice.title,
                "body": notice.body,
                "url": notice.url,
                "language": notice.language,
                "status": notice.status,
                "channel": notice.channel,
                "created_at": _time(notice.created_at),
                "sent_at": _time(notice.sent_at),
            }
            for notice in notices
        ],
        "topic_emails": [
            {"title": email.campaign.title, "mode": email.mode, "sent_at": _time(email.sent_at)} for email in emails
        ],
    }


@transaction.atomic
def notifications_erase(*, user: AbstractBaseUser) -> None:
    """Delete the citizen's devices with their subscriptions, e-mail choices and notices.

    A device linked to the account, through its subscription or its own ``user``,
    is the person's, so it does not stay behind as an anonymous subscription that
    keeps receiving pushes. Deleting a device deletes its subscription and its
    delivery rows lose their link to it (``SET_NULL``) and stay, without
    anything personal, so campaign counters keep their totals.
    """
    for device_model, field in DEVICE_LINKS:
        linked = Subscription.objects.filter(user=user, **{f"{field}__isnull": False}).values(field)
        device_model.objects.filter(Q(user=user) | Q(pk__in=linked)).delete()
    EmailSubscription.objects.filter(user=user).delete()
    EmailDelivery.objects.filter(user=user).delete()
    PersonalNotice.objects.filter(user=user).delete()

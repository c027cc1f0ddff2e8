"""Email as the channel for citizens without a smartphone: at once, or a daily digest."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.selectors import preferred_language
from notifications.models import Campaign, EmailDelivery, EmailMode, EmailSubscription, Topic


def _text_for(campaign: Campaign, language: str) -> dict:
    return (
        campaign.texts.get(language)
        or campaign.texts.get(settings.LANGUAGE_CODE)
        or {"title": campaign.title, "text": campaign.text, "url": campaign.url}
    )


@transaction.atomic
def email_subscriptions_set(*, user: AbstractBaseUser, modes: dict[str, str]) -> list[EmailSubscription]:
    """Replace the citizen's email choices: topic slug -> "immediate" or "digest"."""
    topics = {topic.slug: topic for topic in Topic.objects.filter(slug__in=modes, locale__language_code="de")}
    EmailSubscription.objects.filter(user=user).exclude(topic__in=topics.values()).delete()
    chosen = []
    for slug, topic in topics.items():
        subscription, _created = EmailSubscription.objects.update_or_create(
            user=user, topic=topic, defaults={"mode": EmailMode(modes[slug])}
        )
        chosen.append(subscription)
    return chosen


def campaign_emails_send(*, campaign: Campaign) -> int:
    """Send the "sofort" emails of a campaign. Each row is locked and marked, so a retry mails nobody twice."""
    count = 0
    pending = EmailDelivery.objects.filter(campaign=campaign, mode=EmailMode.IMMEDIATE, sent_at__isnull=True)
    for delivery_id in list(pending.values_list("pk", flat=True)):
        with transaction.atomic():
            delivery = (
                EmailDelivery.objects.select_for_update()
                .select_related("user")
                .filter(pk=delivery_id, sent_at__isnull=True)
                .first()
            )
            if delivery is None or not delivery.user.email:
                continue
            language = preferred_language(user=delivery.user)
            text = _text_for(campaign, language)
            with translation.override(language):
                body = render_to_string("notifications/email_campaign.txt", {"text": text})
                send_mail(subject=text["title"], message=body, from_email=None, recipient_list=[delivery.user.email])
            delivery.sent_at = timezone.now()
            delivery.save(update_fields=["sent_at"])
            count += 1
    return count


def email_digest_send() -> int:
    """The daily digest: one email per citizen with everything collected since the last one.

    Scheduled once a day (``cms.schedules``). Idempotent:
    a row is marked sent in the same transaction that mails it.
    """
    pending = EmailDelivery.objects.filter(mode=EmailMode.DIGEST, sent_at__isnull=True)
    user_ids = sorted(set(pending.values_list("user_id", flat=True)))
    sent = 0
    for user_id in user_ids:
        with transaction.atomic():
            rows = list(
                pending.select_for_update()
                .filter(user_id=user_id)
                .select_related("campaign", "user")
                .order_by("campaign__created_at")
            )
            if not rows or not rows[0].user.email:
                continue
            user = rows[0].user
            language = preferred_language(user=user)
            items = [_text_for(row.campaign, language) for row in rows]
            with translation.override(language):
                body = render_to_string("notifications/email_digest.txt", {"items": items})
                send_mail(
                    subject=_("Ihre Nachrichten von Norderstedt GO!"),
                    message=body,
                    from_email=None,
                    recipient_list=[user.email],
                )
            EmailDelivery.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=timezone.now())
            sent += 1
    return sent

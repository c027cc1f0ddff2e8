"""Personal notices: one citizen, all of their active devices, email as the fallback.

Other apps (academy, rentals, ideas) call ``personal_notice_send`` for
reminders, waiting-list promotions and status changes. The text is generic (no
personal details), because it travels through Google's and Apple's services.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation

from accounts.selectors import preferred_language
from cms.links import absolute_url
from notifications.models import Delivery, Outcome, PersonalNotice, Subscription
from notifications.push.payload import payload_build
from notifications.quiet_hours import quiet_until
from notifications.services.fanout import (
    MAX_ATTEMPTS,
    OPEN_OUTCOMES,
    deliveries_claim,
    deliveries_record,
    deliveries_send,
    window_size,
)


def personal_notice_send(
    *, user: AbstractBaseUser, title: str, body: str, url: str, reference: str, email_always: bool = False
) -> PersonalNotice:
    """Notify one citizen once per ``reference`` in their own language.

    ``title`` and ``body`` may be lazy gettext strings; they are rendered in the
    citizen's preferred language. They must not contain personal details.
    Delivery happens in a task after commit. By default email is the fallback
    for citizens without a reachable device; ``email_always`` sends the email
    as well as the pushes (reminders that must not be missed).
    """
    language = preferred_language(user=user)
    with translation.override(language):
        values = {
            "title": str(title)[:120],
            "body": str(body)[:300],
            "url": url,
            "language": language,
            "email_always": email_always,
        }
    try:
        with transaction.atomic():
            notice, created = PersonalNotice.objects.get_or_create(user=user, reference=reference, defaults=values)
    except IntegrityError:
        notice, created = PersonalNotice.objects.get(user=user, reference=reference), False
    if created:
        from notifications.tasks import enqueue_personal_notice_delivery

        transaction.on_commit(lambda: enqueue_personal_notice_delivery(notice_id=notice.pk))
    return notice


def _active_subscriptions(user: AbstractBaseUser):
    return Subscription.objects.filter(user=user, active=True).filter(
        Q(web_device__active=True) | Q(fcm_device__active=True) | Q(apns_device__active=True)
    )


def _push(notice: PersonalNotice) -> None:
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(
                notice=notice,
                subscription=subscription,
                platform=subscription.platform,
                not_before=quiet_until(
                    now=now,
                    start=subscription.quiet_start,
                    end=subscription.quiet_end,
                    time_zone=subscription.time_zone,
                ),
            )
            for subscription in _active_subscriptions(notice.user)
        ],
        ignore_conflicts=True,
    )
    payload = payload_build(title=notice.title, text=notice.body, url=absolute_url(notice.url), topic="")
    while deliveries := deliveries_claim(base=Q(notice=notice), now=timezone.now(), limit=window_size()):
        results = deliveries_send(
            deliveries=deliveries, payload_for=lambda language: payload, urgent=False, campaign_key="notices"
        )
        deliveries_record(deliveries=deliveries, results=results, now=timezone.now())


def _email_send(notice: PersonalNotice) -> bool:
    """Send the email once; the caller holds the notice's row lock."""
    if notice.emailed_at is not None:
        return True
    if not notice.user.email:
        return False
    with translation.override(notice.language):
        send_mail(
            subject=notice.title,
            message=f"{notice.body}\n\n{absolute_url(notice.url)}\n",
            from_email=None,
            recipient_list=[notice.user.email],
        )
    notice.emailed_at = timezone.now()
    notice.save(update_fields=["emailed_at"])
    return True


def _email_first(notice: PersonalNotice) -> None:
    """For ``email_always``: the email does not wait for quiet hours or push retries."""
    with transaction.atomic():
        locked = PersonalNotice.objects.select_for_update().select_related("user").get(pk=notice.pk)
        _email_send(locked)


def personal_notice_deliver(*, notice: PersonalNotice) -> PersonalNotice:
    """Push to every active device of the citizen; email when none is left to reach (or always).

    Idempotent: a sent notice is left alone, pushes need a claim (fan-out), and
    the email is sent under the notice's row lock. While a device is in its quiet
    hours or waiting for a retry, the notice stays pending and the minutely sweep
    comes back to it.
    """
    notice = PersonalNotice.objects.select_related("user").get(pk=notice.pk)
    if notice.status == PersonalNotice.Status.SENT:
        return notice
    if notice.email_always:
        _email_first(notice)
    _push(notice)
    deliveries = Delivery.objects.filter(notice=notice)
    with transaction.atomic():
        notice = PersonalNotice.objects.select_for_update().select_related("user").get(pk=notice.pk)
        if notice.status == PersonalNotice.Status.SENT:
            return notice
        if deliveries.filter(outcome=Outcome.SENT).exists():
            notice.status = PersonalNotice.Status.SENT
            notice.channel = "push+email" if notice.emailed_at else "push"
        elif deliveries.filter(outcome__in=OPEN_OUTCOMES, attempts__lt=MAX_ATTEMPTS).exists():
            return notice
        elif _email_send(notice):
            notice.status, notice.channel = PersonalNotice.Status.SENT, "email"
        else:
            notice.status = PersonalNotice.Status.FAILED
        notice.sent_at = timezone.now()
        notice.save(update_fields=["status", "channel", "sent_at"])
    return notice

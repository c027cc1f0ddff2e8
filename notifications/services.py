"""Writes for notifications: personal notices now, push campaigns with the push issue.

Other apps call these functions with the text to send; ``notifications`` never
imports them.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from notifications.models import PersonalNotice


def _language_of(user: AbstractBaseUser) -> str:
    profile = getattr(user, "profile", None)
    return getattr(profile, "preferred_language", "") or settings.LANGUAGE_CODE


def personal_notice_send(*, user: AbstractBaseUser, title: str, body: str, url: str, reference: str) -> PersonalNotice:
    """Notify one citizen once per ``reference`` in their own language.

    ``title`` and ``body`` may be lazy gettext strings; they are rendered in the
    citizen's preferred language. They must not contain personal details.
    Delivery happens in a task after commit.
    """
    language = _language_of(user)
    with translation.override(language):
        values = {"title": str(title)[:120], "body": str(body)[:300], "url": url, "language": language}
    try:
        with transaction.atomic():
            notice, created = PersonalNotice.objects.get_or_create(user=user, reference=reference, defaults=values)
    except IntegrityError:
        notice, created = PersonalNotice.objects.get(user=user, reference=reference), False
    if created:
        from notifications.tasks import enqueue_personal_notice_delivery

        transaction.on_commit(lambda: enqueue_personal_notice_delivery(notice_id=notice.pk))
    return notice


def personal_notice_deliver(*, notice: PersonalNotice) -> PersonalNotice:
    """Send a pending notice. Idempotent: a notice that was sent is left alone.

    The row is locked, so two workers holding the same task send once.
    """
    with transaction.atomic():
        notice = PersonalNotice.objects.select_for_update().select_related("user").get(pk=notice.pk)
        if notice.status == PersonalNotice.Status.SENT:
            return notice
        if notice.user.email:
            link = notice.url if notice.url.startswith("http") else f"{settings.SITE_URL}{notice.url}"
            with translation.override(notice.language):
                send_mail(
                    subject=notice.title,
                    message=f"{notice.body}\n\n{link}\n",
                    from_email=None,
                    recipient_list=[notice.user.email],
                )
            notice.status, notice.channel = PersonalNotice.Status.SENT, "email"
        else:
            notice.status = PersonalNotice.Status.FAILED
        notice.sent_at = timezone.now()
        notice.save(update_fields=["status", "channel", "sent_at"])
    return notice

"""The fan-out engine: claim a window of deliveries, send them, record each outcome.

Exactly once (docs/notifications.md, "Exactly once"): a delivery is sent only
after this worker *claimed* it with a conditional UPDATE (outcome still open,
no live claim), and its outcome is written right after its window returns. A
chunk that crashes leaves its claims to expire after ``CLAIM_LEASE``; the retry
sends only rows that are still open. Duplicates are therefore bounded by the one
window that was in flight at the crash.
"""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Callable

from push_notifications.models import APNSDevice, GCMDevice, WebPushDevice

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone

from notifications.models import Campaign, Delivery, Outcome, Platform, PushUrgency, Subscription
from notifications.push import PERMANENT, SENT, PushResult, PushTarget
from notifications.push.webpush import webpush_send

MAX_ATTEMPTS = 5
BACKOFF_BASE_SECONDS = 15
CLAIM_LEASE = datetime.timedelta(seconds=150)
OPEN_OUTCOMES = (Outcome.PENDING, Outcome.TRANSIENT)
DEVICE_MODELS = {Platform.WEB: WebPushDevice, Platform.FCM: GCMDevice, Platform.APNS: APNSDevice}


def window_size() -> int:
    """Deliveries claimed and recorded together: the bound on duplicates after a crash.

    Twice the Web Push concurrency, at least 128 (fewer database round trips), at
    most one chunk.
    """
    return max(1, min(settings.PUSH_CHUNK_SIZE, max(128, 2 * settings.PUSH_WEBPUSH_CONCURRENCY)))


def open_deliveries(*, now: datetime.datetime) -> Q:
    """Deliveries that may be sent now: open, attempts left, due, and not claimed by a live worker."""
    return (
        Q(outcome__in=OPEN_OUTCOMES, attempts__lt=MAX_ATTEMPTS)
        & (Q(not_before__isnull=True) | Q(not_before__lte=now))
        & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    )


def due_chunks(*, campaign: Campaign, now: datetime.datetime) -> list[tuple[int, int]]:
    """Id ranges of at most ``PUSH_CHUNK_SIZE`` deliveries that are due now."""
    ids = (
        Delivery.objects.filter(open_deliveries(now=now), campaign=campaign).order_by("pk").values_list("pk", flat=True)
    )
    chunks, current = [], []
    for delivery_id in ids.iterator(chunk_size=5000):
        current.append(delivery_id)
        if len(current) == settings.PUSH_CHUNK_SIZE:
            chunks.append((current[0], current[-1]))
            current = []
    if current:
        chunks.append((current[0], current[-1]))
    return chunks


def deliveries_claim(*, base: Q, now: datetime.datetime, limit: int) -> list[Delivery]:
    """Claim up to ``limit`` open deliveries; rows another worker holds are skipped."""
    candidates = list(
        Delivery.objects.filter(base, open_deliveries(now=now)).order_by("pk").values_list("pk", flat=True)[:limit]
    )
    if not candidates:
        return []
    token = uuid.uuid4()
    Delivery.objects.filter(open_deliveries(now=now), pk__in=candidates).update(
        claim_token=token, claimed_until=now + CLAIM_LEASE
    )
    return list(
        Delivery.objects.filter(claim_token=token)
        .select_related("subscription__web_device", "subscription__fcm_device", "subscription__apns_device")
        .order_by("pk")
    )


def _target(delivery: Delivery, payload: dict, urgent: bool) -> PushTarget | None:
    subscription = delivery.subscription
    device = subscription.device
    if device is None or not device.active or not subscription.active:
        return None
    extra = {"p256dh": device.p256dh, "auth": device.auth} if subscription.platform == Platform.WEB else {}
    return PushTarget(key=delivery.pk, token=device.registration_id, payload=payload, urgent=urgent, **extra)


def deliveries_send(
    *, deliveries: list[Delivery], payload_for: Callable[[str], dict], urgent: bool, campaign_key: str
) -> list[PushResult]:
    """Send claimed deliveries through one sender per platform."""
    by_platform: dict[str, list[PushTarget]] = defaultdict(list)
    results: list[PushResult] = []
    for delivery in deliveries:
        target = _target(delivery, payload_for(delivery.subscription.language), urgent)
        if target is None:
            results.append(PushResult(key=delivery.pk, outcome=PERMANENT, error="device inactive"))
        else:
            by_platform[delivery.subscription.platform].append(target)
    results += webpush_send(targets=by_platform[Platform.WEB], campaign_key=campaign_key)
    # firebase-admin and aioapns are heavy imports; a worker loads them only when it needs them.
    if by_platform[Platform.FCM]:
        from notifications.push.fcm import fcm_send

        results += fcm_send(targets=by_platform[Platform.FCM])
    if by_platform[Platform.APNS]:
        from notifications.push.apns import apns_send

        results += apns_send(targets=by_platform[Platform.APNS])
    return results


def _deactivate(delivery_ids: list[int]) -> None:
    subscriptions = Subscription.objects.filter(deliveries__pk__in=delivery_ids)
    for platform, field in (("web", "web_device"), ("fcm", "fcm_device"), ("apns", "apns_device")):
        device_ids = subscriptions.filter(platform=platform).values_list(f"{field}_id", flat=True)
        DEVICE_MODELS[platform].objects.filter(pk__in=list(device_ids)).update(active=False)
    Subscription.objects.filter(pk__in=list(subscriptions.values_list("pk", flat=True))).update(active=False)


def deliveries_record(*, deliveries: list[Delivery], results: list[PushResult], now: datetime.datetime) -> None:
    """Write each outcome and release the claims. Deactivate devices the service says are gone."""
    attempts = {delivery.pk: delivery.attempts for delivery in deliveries}
    groups: dict[tuple, list[int]] = defaultdict(list)
    for result in results:
        if result.outcome == SENT:
            groups[(Outcome.SENT, "", False, None)].append(result.key)
        elif result.outcome == PERMANENT:
            groups[(Outcome.PERMANENT, result.error[:200], result.deactivate, None)].append(result.key)
        else:
            backoff = BACKOFF_BASE_SECONDS * 2 ** attempts.get(result.key, 0)
            wait = max(backoff, result.retry_after or 0)
            groups[(Outcome.TRANSIENT, result.error[:200], False, int(wait))].append(result.key)
    released = {"claim_token": None, "claimed_until": None, "attempts": F("attempts") + 1}
    for (outcome, error, deactivate, wait), keys in groups.items():
        values = {"outcome": outcome, "error": error, "deactivated": deactivate, **released}
        if outcome == Outcome.SENT:
            values["sent_at"] = now
        if wait is not None:
            values["not_before"] = now + datetime.timedelta(seconds=wait)
        Delivery.objects.filter(pk__in=keys).update(**values)
        if deactivate:
            _deactivate(keys)


def campaign_progress_update(*, campaign: Campaign, now: datetime.datetime) -> Campaign:
    """Recount the report's figures and close the campaign when nothing is left to send."""
    counts = Delivery.objects.filter(campaign=campaign).aggregate(
        sent=Count("pk", filter=Q(outcome=Outcome.SENT)),
        failed=Count("pk", filter=Q(outcome=Outcome.PERMANENT) | Q(attempts__gte=MAX_ATTEMPTS, outcome="transient")),
        deactivated=Count("pk", filter=Q(deactivated=True)),
        open=Count("pk", filter=Q(outcome__in=OPEN_OUTCOMES, attempts__lt=MAX_ATTEMPTS)),
        due=Count("pk", filter=open_deliveries(now=now)),
    )
    values = {key: counts[key] for key in ("sent", "failed", "deactivated")}
    if counts["open"] == 0:
        values.update(status=Campaign.Status.DONE, finished_at=now)
    elif counts["due"] == 0 and not Delivery.objects.filter(campaign=campaign, claimed_until__gte=now).exists():
        values["status"] = Campaign.Status.WAITING
    else:
        values["status"] = Campaign.Status.SENDING
    Campaign.objects.filter(pk=campaign.pk).update(**values)
    campaign.refresh_from_db()
    return campaign


def campaign_chunk_send(*, campaign: Campaign, first_id: int, last_id: int) -> Campaign:
    """Send one chunk (an id range of at most ``PUSH_CHUNK_SIZE`` deliveries), window by window."""
    from notifications.services.campaigns import campaign_payload

    payloads: dict[str, dict] = {}

    def payload_for(language: str) -> dict:
        if language not in payloads:
            payloads[language] = campaign_payload(campaign=campaign, language=language)
        return payloads[language]

    base = Q(campaign=campaign, pk__gte=first_id, pk__lte=last_id)
    urgent = campaign.urgency == PushUrgency.URGENT
    while deliveries := deliveries_claim(base=base, now=timezone.now(), limit=window_size()):
        results = deliveries_send(
            deliveries=deliveries, payload_for=payload_for, urgent=urgent, campaign_key=f"campaign-{campaign.pk}"
        )
        deliveries_record(deliveries=deliveries, results=results, now=timezone.now())
    return campaign_progress_update(campaign=campaign, now=timezone.now())


def deliveries_due_release(*, now: datetime.datetime | None = None) -> dict[str, list]:
    """The minutely sweep: what is due again after quiet hours, a Retry-After or a crash.

    Returns the campaign chunks and notice ids to enqueue; the task enqueues them.
    Idempotent: enqueuing twice is harmless because sending needs a claim.
    """
    now = now or timezone.now()
    campaigns = Campaign.objects.filter(status__in=[Campaign.Status.SENDING, Campaign.Status.WAITING])
    chunks = []
    for campaign in campaigns:
        campaign_chunks = due_chunks(campaign=campaign, now=now)
        if not campaign_chunks:
            campaign_progress_update(campaign=campaign, now=now)
        chunks.extend((campaign.pk, first, last) for first, last in campaign_chunks)
    notice_ids = sorted(
        set(Delivery.objects.filter(open_deliveries(now=now), notice__isnull=False).values_list("notice_id", flat=True))
    )
    return {"chunks": chunks, "notices": notice_ids}

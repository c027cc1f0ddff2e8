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
from dataclasses import dataclass

from push_notifications.models import APNSDevice, GCMDevice, WebPushDevice

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from notifications.models import Campaign, Delivery, Outcome, Platform, PushUrgency, Subscription
from notifications.push import PERMANENT, SENT, SKIPPED, TRANSIENT, PushResult, PushTarget, platform_failure
from notifications.push.configuration import platform_configured
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


@dataclass(frozen=True)
class ClaimedDelivery:
    """A claimed delivery with what its sender needs, read in one query without model instances."""

    pk: int
    attempts: int
    platform: str
    language: str
    reachable: bool
    token: str
    p256dh: str = ""
    auth: str = ""


CLAIMED_FIELDS = (
    "pk",
    "attempts",
    "platform",
    "subscription__language",
    "subscription__active",
    "subscription__web_device__active",
    "subscription__web_device__registration_id",
    "subscription__web_device__p256dh",
    "subscription__web_device__auth",
    "subscription__fcm_device__active",
    "subscription__fcm_device__registration_id",
    "subscription__apns_device__active",
    "subscription__apns_device__registration_id",
)


def _claimed(row: tuple) -> ClaimedDelivery:
    pk, attempts, platform, language, active, web_active, web_token, p256dh, auth, *native = row
    fcm_active, fcm_token, apns_active, apns_token = native
    device_active, token = {
        Platform.WEB: (web_active, web_token),
        Platform.FCM: (fcm_active, fcm_token),
        Platform.APNS: (apns_active, apns_token),
    }.get(platform, (None, None))
    return ClaimedDelivery(
        pk=pk,
        attempts=attempts,
        platform=platform,
        language=language,
        reachable=bool(active and device_active and token),
        token=token or "",
        p256dh=p256dh or "",
        auth=auth or "",
    )


def deliveries_claim(*, base: Q, now: datetime.datetime, limit: int) -> list[ClaimedDelivery]:
    """Claim up to ``limit`` open deliveries; rows another worker holds are skipped.

    One conditional UPDATE claims (its ``WHERE`` is re-checked on each locked
    row, docs/notifications.md "Exactly once"), one SELECT reads what it claimed.
    """
    token = uuid.uuid4()
    candidates = Delivery.objects.filter(base, open_deliveries(now=now)).order_by("pk").values("pk")[:limit]
    claimed = Delivery.objects.filter(open_deliveries(now=now), pk__in=candidates).update(
        claim_token=token, claimed_until=now + CLAIM_LEASE
    )
    if not claimed:
        return []
    rows = Delivery.objects.filter(base, claim_token=token).order_by("pk").values_list(*CLAIMED_FIELDS)
    return [_claimed(row) for row in rows]


def _fcm_send(targets: list[PushTarget]) -> list[PushResult]:
    # firebase-admin is a heavy import; a worker loads it only when it needs it.
    from notifications.push.fcm import fcm_send

    return fcm_send(targets=targets)


def _apns_send(targets: list[PushTarget]) -> list[PushResult]:
    from notifications.push.apns import apns_send

    return apns_send(targets=targets)


def _platform_send(*, platform: str, targets: list[PushTarget], campaign_key: str) -> list[PushResult]:
    """One platform's sends, isolated: whatever goes wrong there becomes outcomes of its own devices.

    Without this, an FCM client that cannot load its credentials raised after the
    Web Push requests of the same window had gone out; nothing was recorded and
    the retried chunk sent them all again (issue 11).
    """
    if not platform_configured(platform):
        return [PushResult(key=target.key, outcome=SKIPPED, error="platform not configured") for target in targets]
    try:
        if platform == Platform.WEB:
            return webpush_send(targets=targets, campaign_key=campaign_key)
        if platform == Platform.FCM:
            return _fcm_send(targets)
        return _apns_send(targets)
    except Exception as error:  # noqa: BLE001 - recorded per device, never re-raised over sent deliveries
        return platform_failure(targets=targets, error=error)


def deliveries_send(
    *, deliveries: list[ClaimedDelivery], payload_for: Callable[[str], dict], urgent: bool, campaign_key: str
) -> list[PushResult]:
    """Send claimed deliveries through one sender per platform; one result for every delivery.

    A delivery that no sender answered for (it cannot happen today, but a sender
    is third-party code) gets a transient result, so every claim is released
    with an outcome and no sent delivery is ever claimed again.
    """
    by_platform: dict[str, list[PushTarget]] = defaultdict(list)
    results: list[PushResult] = []
    for delivery in deliveries:
        if not delivery.reachable:
            results.append(PushResult(key=delivery.pk, outcome=PERMANENT, error="device inactive"))
            continue
        by_platform[delivery.platform].append(
            PushTarget(
                key=delivery.pk,
                token=delivery.token,
                payload=payload_for(delivery.language),
                urgent=urgent,
                p256dh=delivery.p256dh,
                auth=delivery.auth,
            )
        )
    for platform, targets in by_platform.items():
        results += _platform_send(platform=platform, targets=targets, campaign_key=campaign_key)
    answered = {result.key for result in results}
    results += [
        PushResult(key=delivery.pk, outcome=TRANSIENT, error="no outcome from the sender")
        for delivery in deliveries
        if delivery.pk not in answered
    ]
    return results


def _deactivate(delivery_ids: list[int]) -> None:
    subscriptions = Subscription.objects.filter(deliveries__pk__in=delivery_ids)
    for platform, field in (("web", "web_device"), ("fcm", "fcm_device"), ("apns", "apns_device")):
        device_ids = subscriptions.filter(platform=platform).values_list(f"{field}_id", flat=True)
        DEVICE_MODELS[platform].objects.filter(pk__in=list(device_ids)).update(active=False)
    Subscription.objects.filter(pk__in=list(subscriptions.values_list("pk", flat=True))).update(active=False)


def deliveries_record(*, deliveries: list[ClaimedDelivery], results: list[PushResult], now: datetime.datetime) -> None:
    """Write each outcome and release the claims. Deactivate devices the service says are gone."""
    attempts = {delivery.pk: delivery.attempts for delivery in deliveries}
    groups: dict[tuple, list[int]] = defaultdict(list)
    for result in results:
        if result.outcome == SENT:
            groups[(Outcome.SENT, "", False, None)].append(result.key)
        elif result.outcome == PERMANENT:
            groups[(Outcome.PERMANENT, result.error[:200], result.deactivate, None)].append(result.key)
        elif result.outcome == SKIPPED:
            groups[(Outcome.SKIPPED, result.error[:200], False, None)].append(result.key)
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
    """Recount the report's figures and close the campaign when nothing is left to send.

    Workers finishing chunks at the same moment take turns on the campaign's row
    lock, so the last one counts every outcome recorded before it and its
    figures are the ones that stay. While the campaign is still being planned
    (``planned``) only the figures change: more deliveries are on their way.
    A campaign keeps the moment it first finished.
    """
    with transaction.atomic():
        status, finished_at = (
            Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("status", "finished_at").get()
        )
        counts = Delivery.objects.filter(campaign=campaign).aggregate(
            sent=Count("pk", filter=Q(outcome=Outcome.SENT)),
            failed=Count(
                "pk", filter=Q(outcome=Outcome.PERMANENT) | Q(attempts__gte=MAX_ATTEMPTS, outcome=Outcome.TRANSIENT)
            ),
            deactivated=Count("pk", filter=Q(deactivated=True)),
            skipped=Count("pk", filter=Q(outcome=Outcome.SKIPPED)),
            open=Count("pk", filter=Q(outcome__in=OPEN_OUTCOMES, attempts__lt=MAX_ATTEMPTS)),
            due=Count("pk", filter=open_deliveries(now=now)),
        )
        values = {key: counts[key] for key in ("sent", "failed", "deactivated", "skipped")}
        if status == Campaign.Status.PLANNED:
            pass
        elif counts["open"] == 0:
            values.update(status=Campaign.Status.DONE, finished_at=finished_at or now)
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

    Returns the campaigns to plan again, the campaign chunks and the notice ids
    to enqueue; the task enqueues them. A campaign still ``planned`` after a
    claim lease lost its plan task (a worker died; the Redis broker does not
    re-deliver tasks). Idempotent: planning skips existing rows, and sending
    needs a claim, so enqueuing twice is harmless.
    """
    now = now or timezone.now()
    plans = list(
        Campaign.objects.filter(status=Campaign.Status.PLANNED, created_at__lt=now - CLAIM_LEASE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
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
    return {"plans": plans, "chunks": chunks, "notices": notice_ids}

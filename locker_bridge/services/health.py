"""Controller health: online and offline, reconciliation after a reconnect, alerts for staff."""

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cms.links import absolute_url
from locker_bridge import protocol, signals
from locker_bridge.models import Alert, Compartment, Locker

logger = logging.getLogger(__name__)

MISSED_HEARTBEATS_OFFLINE = 3
DOOR_OPEN_ALERT_AFTER = timedelta(minutes=2)


def alert_raise(
    *, locker: Locker, kind: str, dedup_key: str, message: str, compartment: Compartment | None = None
) -> Alert:
    """Open an alert for staff unless the same problem already has an open one."""
    existing = Alert.objects.filter(dedup_key=dedup_key, acknowledged_at__isnull=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                locker=locker, compartment=compartment, kind=kind, dedup_key=dedup_key, message=message[:300]
            )
    except IntegrityError:
        return Alert.objects.get(dedup_key=dedup_key, acknowledged_at__isnull=True)
    logger.warning("Locker alert: %s", message)
    if settings.LOCKER_ALERT_EMAILS:
        from locker_bridge.tasks import enqueue_alert_mail

        transaction.on_commit(lambda: enqueue_alert_mail(alert_pk=alert.pk))
    return alert


def alert_mail(*, alert: Alert) -> None:
    """E-mail a new alert to ``LOCKER_ALERT_EMAILS``; the status page is where staff acknowledge it."""
    send_mail(
        subject=f"Schließfachanlage: {alert.get_kind_display()}",
        message=f"{alert.message}\n\n{absolute_url(reverse('locker_bridge_admin:status'))}\n",
        from_email=None,
        recipient_list=settings.LOCKER_ALERT_EMAILS,
    )


def alert_acknowledge(*, alert: Alert, user: AbstractBaseUser) -> Alert:
    """Staff saw the alert and take care of it. Idempotent."""
    Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now(), acknowledged_by=user
    )
    alert.refresh_from_db()
    return alert


def controller_mark_offline(*, locker: Locker, reason: str) -> bool:
    """Mark a controller offline once: its compartments become unknown, staff get an alert."""
    with transaction.atomic():
        if not Locker.objects.filter(pk=locker.pk, is_online=True).update(is_online=False):
            return False
        locker.is_online = False
        locker.compartments.update(state_unknown=True)
        alert_raise(
            locker=locker,
            kind=Alert.Kind.OFFLINE,
            dedup_key=f"offline:{locker.pk}",
            message=f"{locker.location_label} ist nicht erreichbar. {reason}",
        )
        signals.send_safely(signals.controller_went_offline, sender=Locker, locker=locker)
    return True


def controller_mark_online(*, locker: Locker) -> bool:
    """Mark a controller online once and ask it for a state report to reconcile."""
    from locker_bridge.services.commands import state_report_request
    from locker_bridge.services.pins import pins_retry_now

    with transaction.atomic():
        if not Locker.objects.filter(pk=locker.pk, is_online=False).update(is_online=True):
            return False
        locker.is_online = True
        pins_retry_now(locker=locker)
        state_report_request(locker=locker, reference=f"state-report:{locker.controller_id}:{uuid.uuid4().hex}")
        signals.send_safely(signals.controller_came_online, sender=Locker, locker=locker)
    return True


def _report_ahead(compartment: Compartment, entry: dict[str, Any]) -> bool:
    """The report shows a door change whose event the bridge has not received (yet): the
    controller names the ``at`` of each door's last change event (docs/locker_protocol.md)."""
    changed = entry.get("changed_at")
    if not changed:
        return False
    return compartment.door_changed_at is None or protocol.parse_timestamp(changed) > compartment.door_changed_at


def _defer(compartment: Compartment, now: datetime) -> bool:
    """Wait for events still on their way (paho resends them after a broker restart, after the
    report); ``controllers_check_health`` asks again once the grace has passed."""
    if compartment.report_ahead_since is None:
        compartment.report_ahead_since = now
        compartment.save(update_fields=["report_ahead_since"])
        return True
    return now - compartment.report_ahead_since < timedelta(seconds=settings.LOCKER_EVENT_GRACE_SECONDS)


def _differences(compartment: Compartment, door: str, occupied: bool) -> list[str]:
    differences = []
    if door != compartment.door_state:
        expected_door, seen_door = (Compartment.Door(value).label for value in (compartment.door_state, door))
        differences.append(f"Tür erwartet {expected_door}, gemeldet {seen_door}")
    if occupied != compartment.is_occupied:
        expected, seen = ("belegt" if value else "leer" for value in (compartment.is_occupied, occupied))
        differences.append(f"erwartet {expected}, gemeldet {seen}")
    return differences


def reconcile(*, locker: Locker, compartments: list[dict[str, Any]], at: datetime | None = None) -> list[str]:
    """Compare a controller's state report with what the bridge expected; flag and fix mismatches.

    The controller is the truth about doors and sensors, so the report wins; a
    mismatch means an event was lost, and staff get an alert to check the item.
    A door reported closed that the bridge thought open, or closed with other
    contents, means a lost ``door_closed``: the bridge sends
    ``compartment_door_closed`` as that event would have (at ``at``, the
    report's time), so a return is recorded even when the controller never
    went offline. A report ahead of door events still on their way is not a
    loss: the bridge waits ``LOCKER_EVENT_GRACE_SECONDS`` for them first.
    """
    mismatches, now = [], timezone.now()
    reported = {entry["number"]: entry for entry in compartments if "number" in entry}
    for compartment in locker.compartments.filter(number__in=reported):
        entry = reported[compartment.number]
        door, occupied = entry.get("door", compartment.door_state), bool(entry.get("occupied"))
        differences = _differences(compartment, door, occupied)
        if differences and _report_ahead(compartment, entry) and _defer(compartment, now):
            continue
        if differences:
            text = f"Fach {compartment.number}: " + "; ".join(differences)
            mismatches.append(text)
            alert_raise(
                locker=locker,
                compartment=compartment,
                kind=Alert.Kind.STATE_MISMATCH,
                dedup_key=f"mismatch:{compartment.pk}",
                message=f"{locker.location_label}, {text}",
            )
        if differences or compartment.state_unknown or compartment.report_ahead_since:
            _report_apply(compartment, entry, door=door, occupied=occupied, now=now)
        if differences and door == Compartment.Door.CLOSED:
            signals.send_safely(
                signals.compartment_door_closed,
                sender=Compartment,
                compartment=compartment,
                at=at or now,
                occupied=occupied,
            )
    return mismatches


def _report_apply(compartment: Compartment, entry: dict[str, Any], *, door: str, occupied: bool, now) -> None:
    if door != compartment.door_state or entry.get("changed_at"):
        changed = entry.get("changed_at")
        compartment.door_changed_at = protocol.parse_timestamp(changed) if changed else now
    compartment.door_state, compartment.is_occupied, compartment.state_unknown = door, occupied, False
    compartment.report_ahead_since = None
    compartment.save(
        update_fields=["door_state", "is_occupied", "state_unknown", "door_changed_at", "report_ahead_since"]
    )


def reports_ahead_recheck(*, now: datetime | None = None) -> int:
    """Ask again for the state of controllers whose report was ahead of its door events for longer
    than the grace: the events were lost, and the next report repairs what they would have done.
    Once per deferred report (the reference names it). Idempotent; runs with the health check."""
    from locker_bridge.services.commands import state_report_request

    now = now or timezone.now()
    due = Compartment.objects.filter(
        report_ahead_since__lte=now - timedelta(seconds=settings.LOCKER_EVENT_GRACE_SECONDS)
    ).select_related("locker")
    for compartment in due:
        locker = compartment.locker
        since = compartment.report_ahead_since.isoformat()
        state_report_request(locker=locker, reference=f"state-report:{locker.controller_id}:recheck:{since}")
    return len(due)


def state_reports_request(*, every: timedelta, now: datetime | None = None) -> int:
    """Ask every online controller for a state report, once per period of length ``every``. Idempotent.

    The reference names the period, so a restarted bridge (or a second one)
    asks once. A door event lost while the controller stayed online is
    repaired by the report (``reconcile``). Returns how many were asked.
    """
    from locker_bridge.services.commands import state_report_request

    now = now or timezone.now()
    seconds = max(int(every.total_seconds()), 1)
    period = int(now.timestamp()) // seconds
    lockers = list(Locker.objects.filter(is_online=True))
    for locker in lockers:
        state_report_request(locker=locker, reference=f"state-report:{locker.controller_id}:{seconds}s:{period}")
    return len(lockers)


def controllers_check_health(*, now: datetime | None = None) -> None:
    """Mark silent controllers offline, alert on doors left open, ask again where a report was
    ahead of its events. Idempotent; runs periodically."""
    now = now or timezone.now()
    reports_ahead_recheck(now=now)
    silent_since = now - timedelta(seconds=MISSED_HEARTBEATS_OFFLINE * settings.LOCKER_HEARTBEAT_SECONDS)
    for locker in Locker.objects.filter(is_online=True, last_heartbeat_at__lt=silent_since):
        controller_mark_offline(locker=locker, reason=f"{MISSED_HEARTBEATS_OFFLINE} Lebenszeichen fehlen.")
    open_too_long = Compartment.objects.filter(
        door_state=Compartment.Door.OPEN, door_changed_at__lt=now - DOOR_OPEN_ALERT_AFTER
    ).select_related("locker")
    for compartment in open_too_long:
        alert_raise(
            locker=compartment.locker,
            compartment=compartment,
            kind=Alert.Kind.DOOR_LEFT_OPEN,
            dedup_key=f"door-open:{compartment.pk}:{compartment.door_changed_at.isoformat()}",
            message=f"{compartment}: Die Tür ist seit über 2 Minuten offen.",
        )

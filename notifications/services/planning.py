"""Planning a campaign: one delivery row per targeted device, made by the database.

The rows are written with ``INSERT … SELECT`` straight from the subscription
query, ``PUSH_CHUNK_SIZE`` subscriptions per statement, and each chunk is handed
to the caller as soon as its rows exist, so sending starts while the rest is
still being planned. Python never sees the individual subscriptions: planning
2,000 devices row by row through the ORM took longer than sending to them.

Devices of a platform that is not configured (no FCM credentials, no APNs key)
are planned too, but as ``skipped``: the report counts them, and no sender is
started for them.

Quiet hours need the device's own clock. Subscriptions share a handful of
(start, end, time zone) settings, so the end of the quiet hours is computed in
Python once per distinct setting and written into the statement as a ``CASE``.
"""

import datetime
from collections.abc import Iterator
from itertools import islice

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.constants import OnConflict
from django.utils import timezone

from notifications.models import (
    Campaign,
    Delivery,
    EmailDelivery,
    EmailSubscription,
    Outcome,
    PushUrgency,
    Subscription,
)
from notifications.push.configuration import platforms_unconfigured
from notifications.quiet_hours import quiet_until

# Delivery columns written by the planning statement, in the order of its SELECT.
PLANNED_COLUMNS = (
    "campaign_id",
    "subscription_id",
    "platform",
    "outcome",
    "not_before",
    "attempts",
    "error",
    "deactivated",
)


def targeted_subscriptions(*, campaign: Campaign) -> QuerySet[Subscription]:
    """Active subscriptions on an active device, in a language the campaign reaches, that follow its topics.

    The campaign's languages are the keys of ``texts`` (``campaign_create_for_page``):
    a translation published before its source reaches only its own language.

    ``Exists`` rather than a join on topics: a device following two of the
    topics is one row, without ``DISTINCT``, so the query can stream in key order.
    """
    follows = Subscription.topics.through.objects.filter(
        subscription_id=OuterRef("pk"), topic__translation_key__in=campaign.topic_keys
    )
    return (
        Subscription.objects.filter(active=True, language__in=list(campaign.texts))
        .filter(Q(web_device__active=True) | Q(fcm_device__active=True) | Q(apns_device__active=True))
        .filter(Exists(follows))
        .order_by("pk")
    )


def _not_before(*, campaign: Campaign, subscriptions: QuerySet[Subscription], now: datetime.datetime):
    """The ``not_before`` expression: the end of the device's quiet hours, else NULL.

    An Eilmeldung ignores quiet hours.
    """
    nothing = Value(None, output_field=DateTimeField())
    if campaign.urgency == PushUrgency.URGENT:
        return nothing
    settings_in_use = (
        subscriptions.filter(quiet_start__isnull=False, quiet_end__isnull=False)
        .order_by()
        .values_list("quiet_start", "quiet_end", "time_zone")
        .distinct()
    )
    whens = []
    for start, end, zone in settings_in_use:
        until = quiet_until(now=now, start=start, end=end, time_zone=zone)
        if until is not None:
            whens.append(
                When(quiet_start=start, quiet_end=end, time_zone=zone, then=Value(until, output_field=DateTimeField()))
            )
    return Case(*whens, default=nothing, output_field=DateTimeField()) if whens else nothing


def _per_platform(unconfigured: list[str], if_unconfigured: str, otherwise: str):
    """A column value that differs for devices of platforms without credentials (recorded as skipped)."""
    if not unconfigured:
        return Value(otherwise, output_field=CharField())
    return Case(
        When(platform__in=unconfigured, then=Value(if_unconfigured)),
        default=Value(otherwise),
        output_field=CharField(),
    )


def _insert_statement(*, campaign: Campaign, rows: QuerySet[Subscription], not_before, returning: bool):
    """``INSERT INTO delivery (…) SELECT …`` for the given subscription rows; conflicts are skipped."""
    unconfigured = platforms_unconfigured()
    values = {
        "planned_campaign": Value(campaign.pk, output_field=IntegerField()),
        "planned_subscription": F("pk"),
        "planned_platform": F("platform"),
        "planned_outcome": _per_platform(unconfigured, Outcome.SKIPPED.value, Outcome.PENDING.value),
        "planned_not_before": not_before,
        "planned_attempts": Value(0, output_field=IntegerField()),
        "planned_error": _per_platform(unconfigured, "platform not configured", ""),
        "planned_deactivated": Value(False, output_field=BooleanField()),
    }
    select_sql, params = rows.annotate(**values).values_list(*values).query.sql_with_params()
    table = connection.ops.quote_name(Delivery._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in PLANNED_COLUMNS)
    fields = [Delivery._meta.get_field("campaign"), Delivery._meta.get_field("subscription")]
    suffix = connection.ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)
    insert = connection.ops.insert_statement(on_conflict=OnConflict.IGNORE)
    sql = f"{insert} {table} ({columns}) {select_sql} {suffix}"
    if returning:
        sql += " RETURNING id"
    return sql, params


def _chunks_insert(
    *, campaign: Campaign, subscriptions: QuerySet[Subscription], not_before
) -> Iterator[tuple[int, int]]:
    """Insert ``PUSH_CHUNK_SIZE`` subscriptions' deliveries per statement; yield each chunk's id range.

    The targeted ids are read in one streamed query; each statement then looks up
    its own ids by primary key. Re-running the targeting query per batch made
    every batch scan all followers of the topic: at 100,000 devices planning
    outlived django-q2's task timeout.
    """
    size = settings.PUSH_CHUNK_SIZE
    targeted_ids = subscriptions.values_list("pk", flat=True).iterator(chunk_size=size)
    with connection.cursor() as cursor:
        while batch_ids := list(islice(targeted_ids, size)):
            rows = Subscription.objects.filter(pk__in=batch_ids)
            sql, params = _insert_statement(campaign=campaign, rows=rows, not_before=not_before, returning=True)
            cursor.execute(sql, params)
            delivery_ids = [row[0] for row in cursor.fetchall()]
            if delivery_ids:
                yield min(delivery_ids), max(delivery_ids)


def campaign_plan(*, campaign: Campaign) -> Iterator[tuple[int, int]]:
    """Create one delivery per targeted device, yielding each chunk as soon as it exists.

    A chunk is an id range of at most ``PUSH_CHUNK_SIZE`` deliveries; the caller
    enqueues it (``notifications.tasks``). The campaign stays ``planned`` until the
    generator is exhausted, so a chunk that finishes early cannot close it
    (``campaign_progress_update``). Memory stays flat for 100,000 devices: rows
    never pass through Python.

    Idempotent: existing rows are left alone. A retried plan (rows exist already)
    inserts what is missing in one statement and yields every chunk that is due,
    so deliveries a crashed plan left behind are sent too; sending needs a claim,
    so yielding a chunk twice is harmless.
    """
    from notifications.services.fanout import campaign_progress_update, due_chunks

    now = timezone.now()
    Campaign.objects.filter(pk=campaign.pk, started_at__isnull=True).update(started_at=now)
    subscriptions = targeted_subscriptions(campaign=campaign)
    not_before = _not_before(campaign=campaign, subscriptions=subscriptions, now=now)
    if Delivery.objects.filter(campaign=campaign).exists():
        sql, params = _insert_statement(campaign=campaign, rows=subscriptions, not_before=not_before, returning=False)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        yield from due_chunks(campaign=campaign, now=now)
    else:
        yield from _chunks_insert(campaign=campaign, subscriptions=subscriptions, not_before=not_before)
    _email_deliveries_plan(campaign)
    targeted = Delivery.objects.filter(campaign=campaign).count()
    Campaign.objects.filter(pk=campaign.pk).update(targeted=targeted)
    Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.PLANNED).update(status=Campaign.Status.SENDING)
    campaign_progress_update(campaign=campaign, now=timezone.now())


def _email_deliveries_plan(campaign: Campaign) -> None:
    """E-mails go out once the source (German) text is live: e-mail subscribers have no device language."""
    source = campaign.texts.get(settings.LANGUAGE_CODE)
    if not source or source.get("fallback"):
        return
    modes: dict[int, str] = {}
    subscriptions = EmailSubscription.objects.filter(
        topic__translation_key__in=campaign.topic_keys, user__is_active=True
    ).values_list("user_id", "mode")
    for user_id, mode in subscriptions:
        # "sofort" wins over the digest when a citizen chose both for two topics.
        modes[user_id] = mode if modes.get(user_id) in (None, "digest") else modes[user_id]
    EmailDelivery.objects.bulk_create(
        [EmailDelivery(campaign=campaign, user_id=user_id, mode=mode) for user_id, mode in modes.items()],
        ignore_conflicts=True,
    )

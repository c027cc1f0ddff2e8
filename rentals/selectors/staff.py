"""Reads for the Verleih team: today's board, the filtered list, usage per week."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from locker_bridge.models import Compartment
from rentals.models import AccessLogEntry, Item, ItemType, Reservation
from rentals.selectors import item_types_source
from rentals.selectors.locker import opens_failed_today, reservations_pin_pending


@dataclass
class Board:
    to_pick_up: list[Reservation]
    out: list[Reservation]
    overdue: list[Reservation]
    no_shows: list[Reservation]
    items_to_check: list[Item]
    compartments_attention: list[Compartment]
    pins_pending: list[Reservation]
    opens_failed: list[AccessLogEntry]


def _day_range(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), zone)
    return start, start + datetime.timedelta(days=1)


def board_today(*, now: datetime.datetime | None = None) -> Board:
    """What is out, due, overdue or a no-show today, which compartments are offline or unknown,
    whose PIN is not yet on the locker, and which openings failed."""
    now = now or timezone.now()
    start, end = _day_range(timezone.localdate(now))
    today = Reservation.objects.filter(starts_at__lt=end, ends_at__gt=start).select_related(
        "item__item_type", "item__home_compartment", "user"
    )
    overdue = Reservation.objects.filter(state=Reservation.State.OVERDUE).select_related("item__item_type", "user")
    compartments = (
        Compartment.objects.filter(Q(state_unknown=True) | Q(in_service=False) | Q(locker__is_online=False))
        .select_related("locker")
        .order_by("locker__location_label", "number")
    )
    to_pick_up = list(today.filter(state=Reservation.State.RESERVED).order_by("starts_at"))
    return Board(
        to_pick_up=to_pick_up,
        out=list(today.filter(state=Reservation.State.PICKED_UP).order_by("ends_at")),
        overdue=list(overdue.order_by("ends_at")),
        no_shows=list(today.filter(state=Reservation.State.NO_SHOW).order_by("starts_at")),
        items_to_check=list(
            Item.objects.exclude(condition=Item.Condition.GOOD, status=Item.Status.IN_SERVICE)
            .exclude(status=Item.Status.RETIRED)
            .select_related("item_type")
        ),
        compartments_attention=list(compartments),
        pins_pending=reservations_pin_pending(
            reservations=list(today.filter(state__in=[Reservation.State.RESERVED, Reservation.State.PICKED_UP]))
        ),
        opens_failed=opens_failed_today(since=start),
    )


def reservations_filtered(
    *,
    state: str = "",
    item_type: ItemType | None = None,
    day: datetime.date | None = None,
    query: str = "",
    page_number: str = "1",
) -> Page:
    reservations: QuerySet[Reservation] = Reservation.objects.select_related(
        "item__item_type", "item__home_compartment", "user"
    ).order_by("-starts_at")
    if state:
        reservations = reservations.filter(state=state)
    if item_type is not None:
        reservations = reservations.filter(item__item_type=item_type)
    if day is not None:
        start, end = _day_range(day)
        reservations = reservations.filter(starts_at__lt=end, ends_at__gt=start)
    query = query.strip()
    if query:
        matches = Q(caller_name__icontains=query) | Q(caller_phone__icontains=query) | Q(user__email__icontains=query)
        if query.isdigit():
            matches |= Q(pk=int(query))
        reservations = reservations.filter(matches)
    return Paginator(reservations, 50).get_page(page_number)


@dataclass
class WeekUsage:
    week: datetime.date
    counts: dict[int, int]


def usage_by_week(
    *, weeks: int = 8, now: datetime.datetime | None = None
) -> tuple[list[ItemType], list[WeekUsage], int]:
    """Loans that really happened (picked up, overdue, returned) per item type and ISO week, in one query."""
    now = now or timezone.now()
    since = now - datetime.timedelta(weeks=weeks)
    rows = (
        Reservation.objects.filter(
            starts_at__gte=since,
            state__in=[Reservation.State.PICKED_UP, Reservation.State.OVERDUE, Reservation.State.RETURNED],
        )
        .annotate(week=TruncWeek("starts_at"))
        .values("week", "item__item_type")
        .annotate(loans=Count("pk"))
        .order_by("week")
    )
    by_week: dict[datetime.date, dict[int, int]] = {}
    for row in rows:
        week = row["week"].date() if isinstance(row["week"], datetime.datetime) else row["week"]
        by_week.setdefault(week, {})[row["item__item_type"]] = row["loans"]
    item_types = list(item_types_source())
    result = [WeekUsage(week=week, counts=counts) for week, counts in sorted(by_week.items())]
    largest = max((count for usage in result for count in usage.counts.values()), default=0)
    return item_types, result, largest

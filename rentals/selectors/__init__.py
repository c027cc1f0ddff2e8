"""Reads for rentals: catalogue, availability, alternatives, a citizen's reservations.

Availability is computed from three queries whatever the number of items
(items, their active reservations, their maintenance blocks), plus one for the
compartments the lockers can open right now when a slot starts within the
hour, so lists keep a fixed query budget.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from wagtail.models import Locale

from locker_bridge.selectors import compartments_usable
from rentals.models import Item, ItemType, MaintenanceBlock, Reservation

# A pickup that starts this soon needs a compartment its locker can open now; a
# later one may count on an offline controller being back by then.
IMMEDIATE_PICKUP = datetime.timedelta(hours=1)


@dataclass
class Slot:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    free: int

    @property
    def is_free(self) -> bool:
        return self.free > 0


@dataclass
class TypeAvailability:
    item_type: ItemType
    display: ItemType
    items: int
    slots: list[Slot] = field(default_factory=list)

    @property
    def free_slots(self) -> int:
        return sum(1 for slot in self.slots if slot.is_free)

    @property
    def free_now(self) -> int:
        now = timezone.now()
        current = next((slot for slot in self.slots if slot.starts_at <= now < slot.ends_at), None)
        return current.free if current else 0


def item_types_source() -> QuerySet[ItemType]:
    """The German item types: items and rules hang on these."""
    return ItemType.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("sort_order", "name")


def item_type_by_slug(*, slug: str) -> ItemType | None:
    return item_types_source().filter(slug=slug).first() or ItemType.objects.filter(slug=slug).first()


def item_type_source(*, item_type: ItemType) -> ItemType:
    if item_type.locale.language_code == settings.LANGUAGE_CODE:
        return item_type
    return ItemType.objects.get(translation_key=item_type.translation_key, locale__language_code=settings.LANGUAGE_CODE)


def item_type_translations(*, item_types: Iterable[ItemType], locale: Locale | None = None) -> dict[int, ItemType]:
    """Each source item type in the active locale, falling back to German (one query)."""
    locale = locale or Locale.get_active()
    item_types = list(item_types)
    translated = {
        item_type.translation_key: item_type
        for item_type in ItemType.objects.filter(
            locale=locale, translation_key__in=[item_type.translation_key for item_type in item_types]
        )
    }
    return {item_type.pk: translated.get(item_type.translation_key, item_type) for item_type in item_types}


def day_bounds(day: datetime.date, *, opens: datetime.time, closes: datetime.time):
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.datetime.combine(day, opens), zone),
        timezone.make_aware(datetime.datetime.combine(day, closes), zone),
    )


def day_slots(*, item_type: ItemType, day: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
    opens, closes = day_bounds(day, opens=item_type.opens_at, closes=item_type.closes_at)
    step = datetime.timedelta(minutes=item_type.slot_minutes)
    slots, start = [], opens
    while start + step <= closes:
        slots.append((start, start + step))
        start += step
    return slots


class _Busy:
    """Busy intervals per item, from active reservations and maintenance blocks."""

    def __init__(self, *, items: list[Item], starts_at: datetime.datetime, ends_at: datetime.datetime):
        self.intervals: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = defaultdict(list)
        item_ids = [item.pk for item in items]
        overlapping = Q(item_id__in=item_ids, starts_at__lt=ends_at, ends_at__gt=starts_at)
        for item_id, start, end in Reservation.objects.filter(
            overlapping, state__in=Reservation.ACTIVE_STATES
        ).values_list("item_id", "starts_at", "ends_at"):
            self.intervals[item_id].append((start, end))
        for item_id, start, end in MaintenanceBlock.objects.filter(overlapping).values_list(
            "item_id", "starts_at", "ends_at"
        ):
            self.intervals[item_id].append((start, end))

    def is_free(self, item: Item, starts_at: datetime.datetime, ends_at: datetime.datetime) -> bool:
        return all(end <= starts_at or start >= ends_at for start, end in self.intervals[item.pk])


def _bookable_items(item_type_ids: list[int]) -> list[Item]:
    return list(Item.objects.filter(item_type_id__in=item_type_ids, status=Item.Status.IN_SERVICE).order_by("pk"))


def items_reachable_now(*, items: Iterable[Item]) -> list[Item]:
    """The items that could be taken out right now, in their order (one query).

    An item without a compartment is handed out by staff and stays. One in a
    compartment stays only while the locker bridge calls that compartment
    usable: its controller online, its state reconciled, in service
    (``locker_bridge.selectors.compartments_usable``, docs/locker_bridge.md "Health").
    """
    items = list(items)
    compartment_ids = {item.home_compartment_id for item in items if item.home_compartment_id is not None}
    usable = set()
    if compartment_ids:
        usable = set(compartments_usable().filter(pk__in=compartment_ids).values_list("pk", flat=True))
    return [item for item in items if item.home_compartment_id is None or item.home_compartment_id in usable]


def _slot_free(
    *,
    items: list[Item],
    reachable: set[int],
    busy: _Busy,
    start: datetime.datetime,
    end: datetime.datetime,
    soon: datetime.datetime,
) -> int:
    """Free items in one slot; a slot starting within the hour counts only items reachable now."""
    if start < soon:
        items = [item for item in items if item.pk in reachable]
    return sum(1 for item in items if busy.is_free(item, start, end))


def availability_for_day(
    *,
    day: datetime.date,
    item_types: Iterable[ItemType] | None = None,
    now: datetime.datetime | None = None,
) -> list[TypeAvailability]:
    """Free items per slot for every (or the given) item type on one day.

    Six queries in all (with the translations), however many item types and
    items there are, and a seventh when a slot starts within the hour: such a
    slot counts only items whose compartment can be opened now, as
    ``reservation_create`` books them.
    """
    item_types = list(item_types if item_types is not None else item_types_source())
    if not item_types:
        return []
    soon = (now or timezone.now()) + IMMEDIATE_PICKUP
    items = _bookable_items([item_type.pk for item_type in item_types])
    earliest = min(day_bounds(day, opens=item_type.opens_at, closes=item_type.closes_at)[0] for item_type in item_types)
    latest = max(day_bounds(day, opens=item_type.opens_at, closes=item_type.closes_at)[1] for item_type in item_types)
    busy = _Busy(items=items, starts_at=earliest, ends_at=latest)
    reachable = {item.pk for item in items_reachable_now(items=items)} if earliest < soon else set()
    displays = item_type_translations(item_types=item_types)
    by_type: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        by_type[item.item_type_id].append(item)
    result = []
    for item_type in item_types:
        own = by_type[item_type.pk]
        slots = [
            Slot(start, end, _slot_free(items=own, reachable=reachable, busy=busy, start=start, end=end, soon=soon))
            for start, end in day_slots(item_type=item_type, day=day)
        ]
        result.append(
            TypeAvailability(item_type=item_type, display=displays[item_type.pk], items=len(own), slots=slots)
        )
    return result


def available_today(*, now: datetime.datetime | None = None) -> list[TypeAvailability]:
    """ "Heute verfügbar": today's availability, only slots that have not ended."""
    now = now or timezone.now()
    result = availability_for_day(day=timezone.localdate(now), now=now)
    for availability in result:
        availability.slots = [slot for slot in availability.slots if slot.ends_at > now]
    return result


def free_items(*, item_type: ItemType, starts_at: datetime.datetime, ends_at: datetime.datetime) -> list[Item]:
    """Items of a type that are free for the whole range, in a stable order."""
    items = _bookable_items([item_type.pk])
    busy = _Busy(items=items, starts_at=starts_at, ends_at=ends_at)
    return [item for item in items if busy.is_free(item, starts_at, ends_at)]


def nearest_alternatives(
    *,
    item_type: ItemType,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    now: datetime.datetime | None = None,
    limit: int = 3,
    days: int = 3,
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Free ranges of the same length for the same item type, nearest to the one asked for."""
    now = now or timezone.now()
    duration = ends_at - starts_at
    first_day = timezone.localdate(starts_at)
    period_start, _ = day_bounds(
        first_day - datetime.timedelta(days=1), opens=item_type.opens_at, closes=item_type.closes_at
    )
    _, period_end = day_bounds(
        first_day + datetime.timedelta(days=days), opens=item_type.opens_at, closes=item_type.closes_at
    )
    items = _bookable_items([item_type.pk])
    busy = _Busy(items=items, starts_at=period_start, ends_at=period_end)
    candidates = []
    for offset in range(-1, days + 1):
        day = first_day + datetime.timedelta(days=offset)
        _, closes = day_bounds(day, opens=item_type.opens_at, closes=item_type.closes_at)
        for start, _end in day_slots(item_type=item_type, day=day):
            end = start + duration
            if start == starts_at or start < now or end > closes:
                continue
            if any(busy.is_free(item, start, end) for item in items):
                candidates.append((start, end))
    candidates.sort(key=lambda candidate: (abs(candidate[0] - starts_at), candidate[0]))
    return candidates[:limit]


def reservations_of(*, user: AbstractBaseUser) -> QuerySet[Reservation]:
    """A citizen's own reservations: the only ones their views and endpoints may see."""
    return Reservation.objects.filter(user=user).select_related("item__item_type", "item__location")


def reservation_of(*, user: AbstractBaseUser, pk: int) -> Reservation | None:
    """One reservation if it is the citizen's own; anyone else's is simply not found."""
    if not user.is_authenticated:
        return None
    return reservations_of(user=user).filter(pk=pk).first()


def reservation_by_ticket(*, token: str) -> Reservation | None:
    if not token:
        return None
    return Reservation.objects.select_related("item__item_type", "item__location").filter(qr_token=token).first()


def reservations_for_account(*, user: AbstractBaseUser) -> dict:
    """Mein Konto: current reservations first, then the history."""
    reservations = list(reservations_of(user=user).order_by("starts_at"))
    return {
        "current": [reservation for reservation in reservations if reservation.is_active],
        "history": sorted(
            (reservation for reservation in reservations if not reservation.is_active),
            key=lambda reservation: reservation.starts_at,
            reverse=True,
        ),
    }


def active_count_of(*, user: AbstractBaseUser, item_type: ItemType) -> int:
    """Reservations of this type the citizen holds now (reserved, picked up or overdue)."""
    return Reservation.objects.filter(user=user, item__item_type=item_type, state__in=Reservation.ACTIVE_STATES).count()


def reservations_at_locker_soon(*, locker_id: int, hours: int = 4) -> list[Reservation]:
    """Active reservations at one locker that start or run within the next hours (offline alert)."""
    now = timezone.now()
    return list(
        Reservation.objects.filter(
            item__home_compartment__locker_id=locker_id,
            state__in=Reservation.ACTIVE_STATES,
            starts_at__lt=now + datetime.timedelta(hours=hours),
        )
        .select_related("item")
        .order_by("starts_at")
    )

"""Quiet hours ("Ruhezeit"): when a normal push waits. Pure functions, no database."""

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def quiet_until(
    *, now: datetime.datetime, start: datetime.time | None, end: datetime.time | None, time_zone: str
) -> datetime.datetime | None:
    """The moment quiet hours end, or None when ``now`` is outside them.

    A period whose start is after its end spans midnight (22:00–07:00). Times are
    wall-clock times in the device's zone, so the end moves with daylight saving.
    """
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(_zone(time_zone))
    clock = local.time().replace(tzinfo=None)
    spans_midnight = start > end
    inside = (clock >= start or clock < end) if spans_midnight else (start <= clock < end)
    if not inside:
        return None
    end_day = local.date()
    if spans_midnight and clock >= start:
        end_day += datetime.timedelta(days=1)
    return datetime.datetime.combine(end_day, end, tzinfo=_zone(time_zone)).astimezone(datetime.UTC)

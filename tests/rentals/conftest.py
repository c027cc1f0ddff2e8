import datetime
import zoneinfo

import pytest
import time_machine

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# A Wednesday morning in June: inside opening hours (8–20), well before the end of the day.
NOW = datetime.datetime(2026, 6, 10, 9, 30, tzinfo=BERLIN)


def at(hour: int, minute: int = 0, *, days: int = 0) -> datetime.datetime:
    return (NOW + datetime.timedelta(days=days)).replace(hour=hour, minute=minute, second=0, microsecond=0)


@pytest.fixture
def clock():
    """Time stands at ``NOW`` (Wed 10 June 2026, 09:30 in Norderstedt); ``clock.move_to`` moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller

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


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``committed(func, **kwargs)`` calls ``func`` and then runs what it left for after the commit
    (task enqueueing, locker commands), as the real transaction's commit would."""

    def call(func, /, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return call

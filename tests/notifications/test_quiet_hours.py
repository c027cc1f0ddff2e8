import datetime

from notifications.quiet_hours import quiet_until

NIGHT = (datetime.time(22), datetime.time(7))


def at(hour: int, minute: int = 0) -> datetime.datetime:
    """A moment in November, when Berlin is UTC+1."""
    return datetime.datetime(2026, 11, 26, hour, minute, tzinfo=datetime.UTC) - datetime.timedelta(hours=1)


def test_evening_waits_until_next_morning():
    until = quiet_until(now=at(23), start=NIGHT[0], end=NIGHT[1], time_zone="Europe/Berlin")
    assert until == at(7) + datetime.timedelta(days=1)


def test_early_morning_waits_until_seven_the_same_day():
    assert quiet_until(now=at(5), start=NIGHT[0], end=NIGHT[1], time_zone="Europe/Berlin") == at(7)


def test_daytime_is_not_quiet_and_no_quiet_hours_means_never():
    assert quiet_until(now=at(12), start=NIGHT[0], end=NIGHT[1], time_zone="Europe/Berlin") is None
    assert quiet_until(now=at(23), start=None, end=None, time_zone="Europe/Berlin") is None

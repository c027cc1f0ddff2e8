"""Fixtures of the locker bridge tests: a simulated controller with a few compartments."""

import pytest

from locker_bridge.models import Command
from locker_bridge.services import compartments_ensure
from tests.factories.locker_bridge import LockerFactory
from tests.locker_bridge.mqtt_harness import (
    Harness,
    assert_at_most_one_opening_per_command,
    assert_every_command_terminal_in_time,
)


@pytest.fixture
def locker(db):
    locker = LockerFactory(controller_id="stadtpark-test", location_label="Stadtpark Test")
    compartments_ensure(locker=locker, count=4)
    return locker


@pytest.fixture
def compartment(locker):
    return locker.compartments.get(number=1)


@pytest.fixture
def received(request):
    """Collect the boundary signals sent during a test, in order, as (name, kwargs)."""
    from locker_bridge import signals

    names = [
        "compartment_door_opened",
        "compartment_door_closed",
        "controller_went_offline",
        "controller_came_online",
        "command_finished",
    ]
    log: list[tuple[str, dict]] = []
    receivers = {}
    for name in names:

        def receiver(sender, signal=None, _name=name, **kwargs):
            log.append((_name, kwargs))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver, weak=False)
    yield log
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


@pytest.fixture
def mqtt_settings(settings):
    settings.LOCKER_DRIVER = "mqtt"
    settings.LOCKER_HEARTBEAT_SECONDS = 30
    return settings


@pytest.fixture
def harness(mqtt_url, mqtt_settings, locker, tmp_path):
    """A bridge and a reference controller connected through the shared broker, on a topic prefix of their own."""
    mqtt_settings.MQTT_URL = mqtt_url
    harness = Harness(url=mqtt_url, locker=locker, state_dir=tmp_path)
    mqtt_settings.LOCKER_TOPIC_PREFIX = harness.prefix
    assert harness.connected()
    yield harness
    harness.close()
    assert_every_command_terminal_in_time()
    assert_at_most_one_opening_per_command(harness)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Call a command service and run its on-commit publish task at once."""

    def send(function, **kwargs) -> Command:
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return send

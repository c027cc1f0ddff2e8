"""Fixtures of the locker bridge tests: a simulated controller with a few compartments."""

import pytest

from locker_bridge.services import compartments_ensure
from tests.factories.locker_bridge import LockerFactory


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

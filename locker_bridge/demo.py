"""Demo content of the locker bridge, called by seed_demo: one controller in the Stadtpark."""

from locker_bridge.models import Locker
from locker_bridge.services import compartments_ensure, locker_ensure, schedules_ensure

DEMO_CONTROLLER_ID = "stadtpark-norderstedt"


def seed(*, home) -> Locker:
    """The "Stadtpark Norderstedt" controller with 12 compartments (rentals fills items into them).

    Idempotent. Also ensures the periodic reaper and health-check schedule.
    """
    locker = locker_ensure(controller_id=DEMO_CONTROLLER_ID, location_label="Stadtpark Norderstedt")
    compartments_ensure(locker=locker, count=12)
    schedules_ensure()
    return locker

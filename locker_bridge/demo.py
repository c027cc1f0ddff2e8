"""Demo content of the locker bridge, called by seed_demo: one controller in the Stadtpark."""

from locker_bridge.models import Locker
from locker_bridge.services import compartments_ensure, locker_ensure

DEMO_CONTROLLER_ID = "stadtpark-norderstedt"


def seed(*, home) -> Locker:
    """The "Stadtpark Norderstedt" controller with 12 occupied compartments (rentals fills items into them).

    Idempotent: a second run leaves doors and occupancy as they are. Also
    ensures the periodic reaper and health-check schedule. Start the MQTT
    simulator for it with ``--occupied`` so both agree.
    """
    locker = locker_ensure(controller_id=DEMO_CONTROLLER_ID, location_label="Stadtpark Norderstedt")
    fresh = not locker.compartments.exists()
    compartments_ensure(locker=locker, count=12)
    if fresh:
        # Rentals puts an item into every compartment; the sensors see them.
        locker.compartments.update(is_occupied=True)
    return locker

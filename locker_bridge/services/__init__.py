"""Writes of the locker bridge. Rentals calls only the three command functions below.

The boundary (docs/locker_bridge.md): ``pin_provision``, ``pin_revoke`` and
``compartment_open`` are keyword-only, return the ``Command`` record and are
idempotent on ``reference``. ``locker_key_rotate`` is for operators; ``pin_resend`` is staff's "PIN erneut
senden" and ``pins_reconcile`` the job that converges every controller. The
``simulator_*`` functions drive the simulated driver in dev, demo and tests.
"""

from locker_bridge.services.commands import (
    PinInUse,
    command_publish,
    command_transition,
    commands_expire_overdue,
    compartment_open,
    pin_provision,
    pin_revoke,
    state_report_request,
)
from locker_bridge.services.health import alert_acknowledge, alert_raise, controllers_check_health
from locker_bridge.services.keys import locker_key_rotate
from locker_bridge.services.pins import pin_resend, pins_reconcile
from locker_bridge.services.setup import compartments_ensure, locker_ensure
from locker_bridge.services.simulator import (
    simulator_acks_release,
    simulator_acks_set,
    simulator_door_close,
    simulator_door_open,
    simulator_jam,
    simulator_key_install,
    simulator_keypad_enter,
    simulator_offline_set,
)

__all__ = [
    "PinInUse",
    "alert_acknowledge",
    "alert_raise",
    "command_publish",
    "command_transition",
    "commands_expire_overdue",
    "compartment_open",
    "compartments_ensure",
    "controllers_check_health",
    "locker_ensure",
    "locker_key_rotate",
    "pin_provision",
    "pin_resend",
    "pin_revoke",
    "pins_reconcile",
    "simulator_acks_release",
    "simulator_acks_set",
    "simulator_door_close",
    "simulator_door_open",
    "simulator_jam",
    "simulator_key_install",
    "simulator_keypad_enter",
    "simulator_offline_set",
    "state_report_request",
]

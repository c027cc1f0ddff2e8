"""Signals of the locker bridge: the boundary other apps (rentals) listen to.

Every signal is sent inside the transaction that stored the cause, after the
bridge's own state (door, occupancy, command state) is written, and once per
cause: a replayed MQTT message sends nothing. Receivers should be one line that
hands off to their own service. A receiver that raises is logged and does not
stop the bridge (see ``send_safely``).
"""

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

compartment_door_opened = Signal()
"""A compartment's door was opened.

Arguments: ``compartment`` (``Compartment``), ``at`` (aware datetime, when the
controller saw it), ``via`` (``"pin"``, ``"command"`` or ``"key"`` for a service
key), and ``reference``: the reference of the ``pin_provision`` or
``compartment_open`` call that caused it, or ``""``.
Sender: ``Compartment``.
"""

compartment_door_closed = Signal()
"""A compartment's door was closed; ``occupied`` says whether the sensor sees an item.

Arguments: ``compartment`` (``Compartment``), ``at`` (aware datetime), ``occupied`` (bool).
Sender: ``Compartment``.
"""

controller_went_offline = Signal()
"""A controller missed 3 heartbeats or its last will said offline.

Its compartments are now ``state_unknown`` until it reports again.
Arguments: ``locker`` (``Locker``). Sender: ``Locker``.
"""

controller_came_online = Signal()
"""A controller that was offline is back (heartbeat, presence or state report).

Compartments stay ``state_unknown`` until its state report is reconciled.
Arguments: ``locker`` (``Locker``). Sender: ``Locker``.
"""

command_finished = Signal()
"""A command reached a terminal state: opened, applied, failed, rejected or expired.

Sent exactly once per command. Arguments: ``command`` (``Command``; read
``command.reference``, ``command.kind`` and ``command.state``). Sender: ``Command``.
"""


def send_safely(signal: Signal, **kwargs: Any) -> None:
    """Send one of these signals; a failing receiver is logged and its writes rolled back.

    The hardware really did what the message says, so the bridge stores it
    whatever a receiver does; the log names the receiver to fix.
    """
    try:
        with transaction.atomic():
            signal.send(**kwargs)
    except Exception:
        logger.exception("A receiver of a locker_bridge signal failed (%s)", kwargs)

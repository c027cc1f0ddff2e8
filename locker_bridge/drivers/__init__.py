"""The two ways commands reach controllers, behind one interface, chosen by ``LOCKER_DRIVER``.

- ``simulated``: in-process, the controller's state in the database (dev, demo, unit tests);
- ``mqtt``: paho-mqtt 2.x to a broker, for production (docs/locker_protocol.md). Only
  ``manage.py locker_bridge`` publishes: pending ``Command`` rows are its outbox, and
  the ``Bridge`` is the driver, on its own connection. Web processes and tasks never
  connect to the broker.

A driver has one method, ``command_send(command=, message=) -> bool``: hand the
signed message to the controller's transport and say whether the transport has
confirmed it. A driver that confirms later (the bridge, on the broker's PUBACK)
returns False and moves the command to ``sent`` itself.
"""

from typing import Any, Protocol

from django.conf import settings

from locker_bridge.models import Command


class Driver(Protocol):
    def command_send(self, *, command: Command, message: dict[str, Any]) -> bool: ...


def driver_get() -> Driver:
    if settings.LOCKER_DRIVER == "mqtt":
        raise RuntimeError("Under the mqtt driver only manage.py locker_bridge publishes, as its own driver.")
    if settings.LOCKER_DRIVER == "simulated":
        from locker_bridge.drivers.simulated import SimulatedDriver

        return SimulatedDriver()
    raise ValueError(f"Unknown LOCKER_DRIVER {settings.LOCKER_DRIVER!r}: use 'mqtt' or 'simulated'.")

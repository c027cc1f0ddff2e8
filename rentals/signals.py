"""Receivers of rentals: one line each, handing off to a service.

Rentals sends no signals of its own. It listens to ``locker_bridge`` (door
events, controller presence; see ``locker_bridge/signals.py`` for when each
fires); its periodic jobs are declared in ``cms.schedules``.
The bridge sends inside the transaction that stored the event and logs a
receiver that raises, so a rentals error never stops the bridge.
"""

from django.dispatch import receiver

from locker_bridge import signals as locker_signals
from rentals.services import locker as rentals_locker


@receiver(locker_signals.compartment_door_opened, dispatch_uid="rentals_door_opened")
def door_opened(sender, compartment, at, via, reference="", **kwargs):
    rentals_locker.compartment_door_opened(compartment=compartment, at=at, via=via, reference=reference)


@receiver(locker_signals.compartment_door_closed, dispatch_uid="rentals_door_closed")
def door_closed(sender, compartment, at, occupied, **kwargs):
    rentals_locker.compartment_door_closed(compartment=compartment, at=at, occupied=occupied)


@receiver(locker_signals.controller_went_offline, dispatch_uid="rentals_controller_offline")
def controller_went_offline(sender, locker, **kwargs):
    rentals_locker.controller_went_offline(locker=locker)


@receiver(locker_signals.command_finished, dispatch_uid="rentals_command_finished")
def command_finished(sender, command, **kwargs):
    rentals_locker.command_finished(command=command)

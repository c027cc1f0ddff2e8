"""Receivers of rentals: one line each, handing off to a service.

Rentals sends no signals of its own; it listens to ``locker_bridge`` (door
events, controller presence) and to Django's ``post_migrate`` to keep its
periodic jobs scheduled.
"""

from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate, dispatch_uid="rentals_schedules_ensure")
def migrated(sender, app_config=None, **kwargs):
    if app_config is not None and app_config.label == "rentals":
        from rentals.schedules import schedules_ensure

        schedules_ensure()

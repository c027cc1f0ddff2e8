"""Factories of the locker bridge: an online controller and its compartments."""

import factory

from django.utils import timezone

from locker_bridge.models import Compartment, Locker


class LockerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locker
        django_get_or_create = ("controller_id",)

    controller_id = factory.Sequence(lambda n: f"test-locker-{n}")
    location_label = factory.Sequence(lambda n: f"Teststandort {n}")
    is_online = True
    last_heartbeat_at = factory.LazyFunction(timezone.now)


class CompartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compartment

    locker = factory.SubFactory(LockerFactory)
    number = factory.Sequence(lambda n: n + 1)

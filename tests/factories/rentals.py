"""Rentals factories: a location, item types with default rules, items, reservations."""

import datetime

import factory

from django.contrib.auth import get_user_model
from django.utils import timezone

from wagtail.models import Locale

from rentals.models import Item, ItemType, Location, Reservation
from rentals.services.codes import pin_hash


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"buerger{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = "Stadtpark Norderstedt"
    address = "Stormarnstraße 55, 22844 Norderstedt"
    opening_hours = "täglich 8–20 Uhr"


class ItemTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemType

    name = factory.Sequence(lambda n: f"Bollerwagen {n}")
    slug = factory.Sequence(lambda n: f"bollerwagen-{n}")
    description = "Zum Ziehen von Picknick und Kindern."
    locale = factory.LazyFunction(lambda: Locale.objects.get(language_code="de"))


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    item_type = factory.SubFactory(ItemTypeFactory)
    location = factory.SubFactory(LocationFactory)
    label = factory.Sequence(lambda n: f"Gegenstand {n}")


def hour_from_now(hours: int = 1) -> datetime.datetime:
    """The start of a whole local hour ``hours`` from now."""
    now = timezone.localtime()
    return now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=hours)


class ReservationFactory(factory.django.DjangoModelFactory):
    """A reservation written directly (no rules); use ``reservation_create`` to test the rules."""

    class Meta:
        model = Reservation

    item = factory.SubFactory(ItemFactory)
    user = factory.SubFactory(UserFactory)
    starts_at = factory.LazyFunction(lambda: hour_from_now(1))
    ends_at = factory.LazyAttribute(lambda reservation: reservation.starts_at + datetime.timedelta(hours=1))
    pin_for_citizen = "123456"
    pin_hash = factory.LazyAttribute(lambda reservation: pin_hash(pin=reservation.pin_for_citizen))
    qr_token = factory.Sequence(lambda n: f"token-{n}-abcdefghijklmnopqrstuvwxyz")


def locker_with_items(*, item_type: ItemType, count: int = 1, controller_id: str = "test-park") -> list[Item]:
    """A simulated locker whose first ``count`` compartments hold items of ``item_type``."""
    from locker_bridge.services import compartments_ensure, locker_ensure

    locker = locker_ensure(controller_id=controller_id, location_label="Stadtpark Norderstedt")
    compartments = compartments_ensure(locker=locker, count=count)
    location = LocationFactory()
    return [
        ItemFactory(item_type=item_type, location=location, home_compartment=compartment, label=f"Fach {number}")
        for number, compartment in enumerate(compartments, start=1)
    ]

"""Demo content of the rentals app, called by seed_demo.

The "Stadtpark Norderstedt" locker (created by ``locker_bridge.demo``) gets
12 items in its 12 compartments: 4 rollators, 4 Bollerwagen, 2 picnic sets and
2 parasols, plus a few reservations today so the staff board is not empty.
Idempotent: running it again changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from wagtail.models import Locale

from home.services import translation_save
from locker_bridge.demo import DEMO_CONTROLLER_ID
from locker_bridge.models import Compartment
from rentals.models import Item, ItemType, Location, Reservation
from rentals.services.errors import RentalsError
from rentals.services.reservations import reservation_create

CATALOGUE = [
    # slug, name, English name, description, rules, count, max hours
    (
        "rollator",
        "Rollator",
        "Rollator",
        "Ein leichter Rollator mit Sitz und Korb für den Spaziergang im Park.",
        "Bitte stellen Sie die Bremsen fest, bevor Sie sich setzen. Nicht für Treppen.",
        4,
        8,
    ),
    (
        "bollerwagen",
        "Bollerwagen",
        "Handcart",
        "Ein Bollerwagen für Picknick, Spielzeug und müde Kinderbeine.",
        "Höchstens 60 kg. Bitte nur auf Wegen ziehen.",
        4,
        8,
    ),
    (
        "picknick-set",
        "Picknick-Set",
        "Picnic set",
        "Decke, Geschirr für vier Personen und ein Korb.",
        "Bitte spülen Sie das Geschirr grob ab, bevor Sie es zurückbringen.",
        2,
        6,
    ),
    (
        "sonnenschirm",
        "Sonnenschirm",
        "Parasol",
        "Ein großer Sonnenschirm mit Bodenanker.",
        "Bei Wind über Stärke 5 bitte schließen.",
        2,
        8,
    ),
]


def _location() -> Location:
    location, _created = Location.objects.get_or_create(
        name="Stadtpark Norderstedt",
        defaults={
            "address": "Stormarnstraße 55, 22844 Norderstedt",
            "latitude": "53.696900",
            "longitude": "10.012600",
            "opening_hours": "täglich 8–20 Uhr",
            "accessibility_notes": "Ebener Zugang vom Parkplatz Stormarnstraße. Das Tastenfeld ist in 90 cm Höhe.",
        },
    )
    return location


def _item_types() -> list[tuple[ItemType, int]]:
    german = Locale.objects.get(language_code="de")
    english = Locale.objects.get(language_code="en")
    result = []
    for order, (slug, name, english_name, description, rules, count, hours) in enumerate(CATALOGUE):
        item_type, created = ItemType.objects.get_or_create(
            slug=slug,
            locale=german,
            defaults={
                "name": name,
                "description": description,
                "rules_of_use": rules,
                "max_duration_minutes": hours * 60,
                "sort_order": order * 10,
            },
        )
        if created:
            translation_save(instance=item_type, locale=english, strings={name: english_name})
        result.append((item_type, count))
    return result


def _items(location: Location) -> None:
    compartments = {
        compartment.number: compartment
        for compartment in Compartment.objects.filter(locker__controller_id=DEMO_CONTROLLER_ID)
    }
    number = 1
    for item_type, count in _item_types():
        for index in range(1, count + 1):
            Item.objects.get_or_create(
                item_type=item_type,
                label=f"{item_type.name} {index}",
                defaults={"location": location, "home_compartment": compartments.get(number)},
            )
            number += 1


def _reservations_today() -> None:
    now = timezone.localtime()
    if Reservation.objects.filter(created_at__date=now.date()).exists():
        return
    start = now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)
    if start.hour < 8 or start.hour > 17:
        start = (start + datetime.timedelta(days=1 if start.hour > 17 else 0)).replace(hour=10)
    citizen = get_user_model().objects.filter(email="buergerin@demo.norderstedt.de").first()
    wishes = [
        ("bollerwagen", {"user": citizen}, 0, 2),
        ("rollator", {"caller_name": "Frau Hansen", "caller_phone": "040 555 0101"}, 0, 3),
        ("picknick-set", {"caller_name": "Herr Yilmaz", "caller_phone": "040 555 0102"}, 1, 2),
    ]
    for slug, person, offset, hours in wishes:
        if not any(person.values()):
            continue
        starts_at = start + datetime.timedelta(hours=offset)
        try:
            reservation_create(
                item_type=ItemType.objects.get(slug=slug, locale__language_code="de"),
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=hours),
                **person,
            )
        except RentalsError:
            continue


def seed(*, home) -> None:
    _items(_location())
    _reservations_today()

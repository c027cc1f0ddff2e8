"""Demo topics: the interest areas Norderstedt announced."""

import base64
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from django.conf import settings

from wagtail.models import Locale

from notifications.models import Platform, Subscription, Topic
from notifications.services import subscription_register

TOPICS = [
    (
        "verkehr-baustellen",
        "Verkehr & Baustellen",
        "Traffic & roadworks",
        "traffic",
        "Sperrungen, Umleitungen und Baustellen in der Stadt.",
    ),
    ("stadtpark", "Stadtpark", "Stadtpark", "park", "Veranstaltungen, Ausleihe und Neuigkeiten aus dem Stadtpark."),
    (
        "digitalakademie",
        "Digitalakademie",
        "Digital academy",
        "laptop",
        "Kurse und Sprechstunden rund um Smartphone, Computer und Internet.",
    ),
    ("kultur-freizeit", "Kultur & Freizeit", "Culture & leisure", "culture", "Konzerte, Lesungen, Feste und Sport."),
    (
        "rathaus-service",
        "Rathaus & Service",
        "Town hall & services",
        "townhall",
        "Öffnungszeiten, Termine und neue Angebote der Verwaltung.",
    ),
    ("umwelt-klima", "Umwelt & Klima", "Environment & climate", "leaf", "Klimaschutz, Grünflächen und Abfall."),
    ("warnungen", "Warnungen", "Warnings", "warning", "Unwetter, Hochwasser und andere Gefahren."),
]


def seed() -> dict[str, Topic]:
    german = Locale.objects.get(language_code="de")
    english = Locale.objects.get(language_code="en")
    topics = {}
    for order, (slug, name_de, name_en, icon, description) in enumerate(TOPICS):
        topic, _created = Topic.objects.update_or_create(
            slug=slug,
            locale=german,
            defaults={"name": name_de, "icon": icon, "description": description, "sort_order": order * 10},
        )
        translated = topic.get_translation_or_none(english) or topic.copy_for_translation(english)
        translated.name = name_en
        translated.save()
        topics[slug] = topic
    if settings.DEBUG and settings.VAPID_PRIVATE_KEY:
        demo_devices_ensure(topics=list(topics.values()))
    return topics


DEMO_DEVICES = 300


def demo_devices_ensure(*, topics: list[Topic]) -> None:
    """Browser subscriptions whose push service is the portal's own demo receiver (development only).

    ``make run`` has no real push service; with these, publishing a news page in
    the demo runs a real campaign (encryption, VAPID, the report's live progress).
    """
    if Subscription.objects.filter(web_device__registration_id__contains="/demo-empfang/").exists():
        return
    auth = os.urandom(16)
    for number in range(DEMO_DEVICES):
        public = (
            ec.generate_private_key(ec.SECP256R1())
            .public_key()
            .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        )
        _subscription, _key = subscription_register(
            platform=Platform.WEB,
            token=f"{settings.SITE_URL}/de/benachrichtigungen/demo-empfang/{number}/",
            p256dh=base64.urlsafe_b64encode(public).rstrip(b"=").decode(),
            auth=base64.urlsafe_b64encode(auth).rstrip(b"=").decode(),
            language="de" if number % 4 else "en",
            topic_slugs=[topic.slug for topic in topics[: 1 + number % len(topics)]],
            quiet_start=None,
            quiet_end=None,
        )

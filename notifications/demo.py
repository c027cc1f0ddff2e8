"""Demo topics: the interest areas Norderstedt announced."""

from wagtail.models import Locale

from notifications.models import Topic

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
    return topics

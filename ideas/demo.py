"""Demo content of the Ideenspeicher: about 20 ideas, 4 working groups, one finished round
(three pilots selected, one of them a project page) and one open round scored blind.

Idempotent: it seeds once and leaves existing content alone.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.crypto import get_random_string

from wagtail.models import Locale

from home.models import HomePage
from home.services import translation_save
from ideas.models import Decision, Idea, IdeaIndexPage, Membership, Source
from ideas.services.evaluation import (
    IDEA_MODERATORS,
    decision_record,
    ideas_staff_groups_ensure,
    membership_add,
    round_create,
    scorecard_save,
    working_group_create,
)
from ideas.services.projects import idea_promote_to_project, project_index_ensure
from ideas.services.submission import idea_publish, idea_reject_in_moderation, idea_submit, idea_support
from notifications.models import Topic

PEOPLE = [
    # (email, first, last, password in dev)
    ("ideen@demo.norderstedt.de", "Ida", "Ideen", "demo-ideen-2026"),
    ("arbeitskreis@demo.norderstedt.de", "Arne", "Arbeitskreis", "demo-arbeitskreis-2026"),
    ("verwaltung@demo.norderstedt.de", "Vera", "Verwaltung", "demo-verwaltung-2026"),
    ("botschafterin@demo.norderstedt.de", "Bea", "Botschafterin", "demo-botschafterin-2026"),
]

GROUPS = [
    ("Digitales Rathaus", "Digitale Dienste der Verwaltung und der Stadtpark als Erprobungsort."),
    ("Mobilität", "Bürgerbus, Parken, Rad- und Fußverkehr."),
    ("Umwelt & Klima", "Grünflächen, Energie, Abfall."),
    ("Kultur & Miteinander", "Treffpunkte, Kultur, Ehrenamt und Teilhabe."),
]

# (title, description, need, topic slug, district, source)
IDEAS = [
    (
        "Schließfächer im Stadtpark",
        "Digitale Schließfächer im Stadtpark, aus denen man Bollerwagen, Spiele oder Rollatoren "
        "ausleihen kann – rund um die Uhr.",
        "Familien und ältere Menschen müssen nicht alles mitschleppen.",
        "stadtpark",
        "garstedt",
        Source.WORKSHOP,
    ),
    (
        "Eine App für die ganze Stadt",
        "Eine Norderstedt-App mit Nachrichten, Terminen, Ausleihe und Mängelmelder an einem Ort.",
        "Heute sind die Angebote auf viele Seiten verteilt.",
        "rathaus-service",
        "stadtweit",
        Source.ONLINE,
    ),
    (
        "Digitale Sprechstunde",
        "Eine feste Sprechstunde, in der Ehrenamtliche bei Smartphone und Online-Anträgen helfen.",
        "Viele Ältere trauen sich an digitale Angebote nicht heran.",
        "digitalakademie",
        "mitte",
        Source.POSTCARD,
    ),
    (
        "Live-Karte für den Bürgerbus",
        "Eine Karte, die zeigt, wo der Bürgerbus gerade ist und wann er kommt.",
        "Wer auf den Bus wartet, weiß nicht, ob er schon vorbei ist.",
        "verkehr-baustellen",
        "friedrichsgabe",
        Source.ONLINE,
    ),
    (
        "Parksensoren in der Innenstadt",
        "Sensoren melden freie Parkplätze; eine Anzeige und die App zeigen sie.",
        "Parkplatzsuche kostet Zeit und erzeugt Verkehr.",
        "verkehr-baustellen",
        "mitte",
        Source.ONLINE,
    ),
    (
        "Mehr öffentliches WLAN",
        "Freies WLAN an Bushaltestellen, im Rathaus und im Stadtpark.",
        "Nicht alle haben genug mobiles Datenvolumen.",
        "rathaus-service",
        "stadtweit",
        Source.PHONE,
    ),
    (
        "Online-Terminbuchung im Bürgerbüro",
        "Termine im Bürgerbüro online buchen und verschieben.",
        "Lange Warteschlangen und Anrufe am Morgen.",
        "rathaus-service",
        "mitte",
        Source.ONLINE,
    ),
    (
        "Sensoren für die Bewässerung von Stadtbäumen",
        "Bodenfeuchte-Sensoren zeigen, welche Bäume Wasser brauchen.",
        "Junge Bäume vertrocknen in heißen Sommern.",
        "umwelt-klima",
        "harksheide",
        Source.ONLINE,
    ),
    (
        "Füllstandsmelder für Glascontainer",
        "Container melden, wenn sie voll sind.",
        "Überfüllte Container und Scherben daneben.",
        "umwelt-klima",
        "glashuette",
        Source.WORKSHOP,
    ),
    (
        "Digitale Stadtführung",
        "Eine Stadtführung zum Anhören mit Stationen zur Stadtgeschichte.",
        "Gäste und Neubürger kennen die Geschichte der Stadt kaum.",
        "kultur-freizeit",
        "stadtweit",
        Source.ONLINE,
    ),
    (
        "Lastenrad-Verleih",
        "Lastenräder zum Ausleihen an mehreren Stationen.",
        "Einkäufe ohne Auto transportieren.",
        "verkehr-baustellen",
        "harksheide",
        Source.ONLINE,
    ),
    (
        "Repair-Café mit Terminbuchung",
        "Termine für das Repair-Café online buchen.",
        "Lange Wartezeiten vor Ort.",
        "umwelt-klima",
        "friedrichsgabe",
        Source.POSTCARD,
    ),
    (
        "Leihbibliothek der Dinge",
        "Werkzeug, Zelte und Beamer ausleihen statt kaufen.",
        "Vieles wird nur selten gebraucht.",
        "kultur-freizeit",
        "garstedt",
        Source.ONLINE,
    ),
    (
        "Sitzbänke mit Solarladestation",
        "Bänke, an denen man das Handy laden kann.",
        "Unterwegs geht der Akku leer.",
        "stadtpark",
        "mitte",
        Source.ONLINE,
    ),
    (
        "Mängelmelder mit Foto",
        "Schlaglöcher und defekte Laternen mit Foto und Ort melden.",
        "Meldungen per Telefon sind umständlich.",
        "rathaus-service",
        "stadtweit",
        Source.PHONE,
    ),
    (
        "Ehrenamtsbörse online",
        "Vereine zeigen, wo sie Hilfe brauchen; Menschen melden sich mit einem Klick.",
        "Wer helfen möchte, findet schwer den Einstieg.",
        "kultur-freizeit",
        "stadtweit",
        Source.ONLINE,
    ),
    (
        "Sichere Fahrradstellplätze am Bahnhof",
        "Abschließbare Fahrradboxen am U-Bahnhof Garstedt.",
        "Fahrräder werden gestohlen.",
        "verkehr-baustellen",
        "garstedt",
        Source.ONLINE,
    ),
    (
        "Trinkwasserbrunnen im Stadtpark",
        "Öffentliche Trinkbrunnen an den Spielplätzen.",
        "Im Sommer fehlt Wasser unterwegs.",
        "stadtpark",
        "garstedt",
        Source.WORKSHOP,
    ),
    (
        "App-Version mit Live-Bus",
        "Die Bürgerbus-Position direkt in der Stadt-App.",
        "Damit man nicht zwei Apps braucht.",
        "verkehr-baustellen",
        "friedrichsgabe",
        Source.ONLINE,
    ),
    (
        "Kostenloses Parken für alle",
        "Alle Parkplätze in der Stadt sollen kostenlos sein.",
        "Parken ist teuer.",
        "verkehr-baustellen",
        "mitte",
        Source.ONLINE,
    ),
]

FINISHED_ROUND = {
    # idea title -> (decision, public reason, member scores Nutzen, Komplexität, Nachhaltigkeit, Reichweite, Kosten)
    "Schließfächer im Stadtpark": (
        Decision.Outcome.SELECT,
        "Hoher Nutzen, machbar mit vorhandener Technik: Pilot im Stadtpark.",
        [(5, 2, 4, 4, 2), (5, 3, 4, 3, 3), (4, 2, 5, 4, 2)],
    ),
    "Eine App für die ganze Stadt": (
        Decision.Outcome.SELECT,
        "Bündelt viele Angebote; wird als Pilot mit diesem Portal umgesetzt.",
        [(5, 4, 4, 5, 4), (4, 4, 3, 5, 3), (5, 3, 4, 5, 4)],
    ),
    "Digitale Sprechstunde": (
        Decision.Outcome.SELECT,
        "Schnell umsetzbar mit der Digitalakademie, erreicht Menschen ohne digitale Erfahrung.",
        [(4, 1, 4, 3, 1), (5, 2, 4, 3, 1), (4, 1, 5, 3, 2)],
    ),
    "Mehr öffentliches WLAN": (
        Decision.Outcome.DEFER,
        "Sinnvoll, aber zuerst klären wir Betrieb und Kosten mit den Stadtwerken.",
        [(4, 4, 3, 4, 4), (3, 4, 3, 4, 5), (4, 3, 3, 4, 4)],
    ),
    "Digitale Stadtführung": (
        Decision.Outcome.DEFER,
        "Gute Idee für das Kulturprogramm; wir nehmen sie in die nächste Runde.",
        [(3, 2, 3, 2, 2), (3, 2, 4, 2, 2), (2, 3, 3, 3, 2)],
    ),
    "Kostenloses Parken für alle": (
        Decision.Outcome.REJECT,
        "Widerspricht dem Klimaschutzkonzept und fehlt im Haushalt.",
        [(2, 2, 1, 4, 5), (1, 2, 1, 4, 5), (2, 1, 1, 3, 5)],
    ),
}
OPEN_ROUND = ["Live-Karte für den Bürgerbus", "Parksensoren in der Innenstadt", "Lastenrad-Verleih"]
WAITING = ["Füllstandsmelder für Glascontainer", "App-Version mit Live-Bus"]
NOT_PUBLISHED = {
    "Sichere Fahrradstellplätze am Bahnhof": "Diese Idee setzt die Stadt schon um: Die Fahrradboxen kommen 2026. Danke!"
}


def _people() -> dict[str, object]:
    reveal = getattr(settings, "DEMO_SIGN_INS_VISIBLE", False)
    user_model = get_user_model()
    people = {}
    for email, first, last, password in PEOPLE:
        user = user_model.objects.filter(email=email).first()
        if user is None:
            user = user_model(username=email.split("@")[0], email=email, first_name=first, last_name=last)
            user.set_password(password if reveal else get_random_string(32))
            user.save()
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        people[email.split("@")[0]] = user
    return people


def _pages(home: HomePage):
    index = IdeaIndexPage.objects.filter(locale=home.locale).first()
    if index is None:
        index = home.add_child(
            instance=IdeaIndexPage(
                title="Ideenspeicher",
                slug="ideenspeicher",
                locale=home.locale,
                intro="Hier sammeln wir Ihre Ideen für Norderstedt. Arbeitskreise bewerten sie regelmäßig.",
            )
        )
        index.save_revision().publish()
    projects = project_index_ensure(home=home)
    translations = {
        "en": {
            "Ideenspeicher": "Idea store",
            index.intro: "We collect your ideas for Norderstedt here. Working groups evaluate them regularly.",
            "Projekte": "Projects",
        },
        "de-ls": {
            "Ideenspeicher": "Ideen-Speicher",
            index.intro: "Hier sammeln wir Ihre Ideen für Norderstedt. Eine Arbeits-Gruppe prüft die Ideen.",
            "Projekte": "Projekte",
        },
    }
    for code, strings in translations.items():
        locale = Locale.objects.get(language_code=code)
        for page in (index, projects):
            if page.get_translation_or_none(locale) is None:
                translation_save(instance=page, locale=locale, strings=strings)
    return index, projects


def seed(*, home) -> None:
    groups = ideas_staff_groups_ensure()
    _index, project_index = _pages(home)
    if Idea.objects.filter(title=IDEAS[0][0]).exists():
        return
    people = _people()
    moderator, staff_member, second_staff, ambassador = (
        people[key] for key in ("ideen", "arbeitskreis", "verwaltung", "botschafterin")
    )
    moderator.is_staff = True
    moderator.save(update_fields=["is_staff"])
    moderator.groups.add(groups[IDEA_MODERATORS])
    citizen = get_user_model().objects.filter(email="buergerin@demo.norderstedt.de").first()
    working_groups = [working_group_create(name=name, description=text) for name, text in GROUPS]
    for group in working_groups:
        membership_add(group=group, user=staff_member, role=Membership.Role.STAFF)
    membership_add(group=working_groups[0], user=second_staff, role=Membership.Role.STAFF)
    membership_add(group=working_groups[0], user=ambassador, role=Membership.Role.AMBASSADOR)
    membership_add(group=working_groups[1], user=ambassador, role=Membership.Role.AMBASSADOR)

    topics = {topic.slug: topic for topic in Topic.objects.filter(locale__language_code="de")}
    ideas = {}
    for title, description, need, slug, district, source in IDEAS:
        online = source == Source.ONLINE
        ideas[title] = idea_submit(
            author=citizen if online else None,
            title=title,
            description=description,
            need=need,
            topic=topics[slug],
            district=district,
            source=source,
            entered_by=None if online else moderator,
        )
    for title, idea in ideas.items():
        if title in NOT_PUBLISHED:
            idea_reject_in_moderation(idea=idea, actor=moderator, reason=NOT_PUBLISHED[title])
        elif title not in WAITING:
            idea_publish(idea=idea, actor=moderator)
            if (citizen and title in FINISHED_ROUND) or title in OPEN_ROUND:
                idea_support(idea=idea, user=citizen) if citizen else None
    _finished_round(working_groups[0], ideas, moderator, [staff_member, second_staff, ambassador], project_index)
    _open_round(working_groups[1], ideas, moderator, staff_member)


def _finished_round(group, ideas, moderator, members, project_index) -> None:
    evaluation_round = round_create(
        group=group,
        title="Bewertungsrunde Frühjahr 2026",
        deadline=timezone.now() + datetime.timedelta(days=1),
        ideas=[ideas[title] for title in FINISHED_ROUND],
        actor=moderator,
    )
    evaluation_round.show_matrix_publicly = True
    evaluation_round.save(update_fields=["show_matrix_publicly"])
    criteria = list(group.criteria.order_by("sort_order"))
    for assignment in evaluation_round.assignments.select_related("idea"):
        _outcome, _reason, cards = FINISHED_ROUND[assignment.idea.title]
        for member, card in zip(members, cards, strict=True):
            values = {criterion.pk: value for criterion, value in zip(criteria, card, strict=True)}
            scorecard_save(assignment=assignment, member=member, values=values, submit=True)
    evaluation_round.refresh_from_db()
    for assignment in evaluation_round.assignments.select_related("idea"):
        outcome, reason, _cards = FINISHED_ROUND[assignment.idea.title]
        decision_record(assignment=assignment, outcome=outcome, reason=reason, actor=moderator)
    park = Idea.objects.get(pk=ideas["Schließfächer im Stadtpark"].pk)
    today = timezone.localdate()
    idea_promote_to_project(
        idea=park,
        index=project_index,
        actor=moderator,
        milestones=[
            (today - datetime.timedelta(days=60), "Standort im Stadtpark festgelegt", True),
            (today - datetime.timedelta(days=20), "Schließfachanlage aufgestellt", True),
            (today + datetime.timedelta(days=30), "Ausleihe für alle geöffnet", False),
        ],
    )


def _open_round(group, ideas, moderator, member) -> None:
    evaluation_round = round_create(
        group=group,
        title="Bewertungsrunde Mobilität",
        deadline=timezone.now() + datetime.timedelta(days=14),
        ideas=[ideas[title] for title in OPEN_ROUND],
        actor=moderator,
    )
    criteria = list(group.criteria.order_by("sort_order"))
    first = evaluation_round.assignments.order_by("pk").first()
    scorecard_save(assignment=first, member=member, values={criterion.pk: 3 for criterion in criteria}, submit=True)

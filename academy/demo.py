"""Demo academy: six courses over the next eight weeks, one of them full with a
waiting list, the "Digitale Sprechstunde" as consultation slots, and one finished
course whose certificate Berta Bürgerin can download. Safe to run again."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wagtail.models import Locale, Page

from academy.models import (
    AcademyIndexPage,
    Attendance,
    Course,
    CourseFormat,
    CoursePage,
    Level,
    Location,
    Registration,
    Session,
)
from academy.services.permissions import trainer_page_permissions_ensure
from academy.services.registrations import registration_create
from home.services import translation_save
from notifications.models import Topic

TRAINER_EMAIL = "trainer@demo.norderstedt.de"
CITIZEN_EMAIL = "buergerin@demo.norderstedt.de"

LOCATIONS = {
    "rathaus": {
        "name": "Rathaus, Sitzungsraum 2",
        "address": "Rathausallee 50, 22846 Norderstedt",
        "directions": "U1 Norderstedt Mitte, dann 3 Minuten zu Fuß. Eingang am Rathausmarkt.",
        "accessibility": "Stufenloser Eingang, Aufzug, barrierefreie Toilette, Induktionsschleife im Raum.",
        "step_free": True,
        "hearing_loop": True,
    },
    "buecherei": {
        "name": "Stadtbücherei, Lernraum",
        "address": "Rathausallee 50, 22846 Norderstedt",
        "directions": "Im Erdgeschoss des Rathauses, gleich neben dem Bürgeramt.",
        "accessibility": "Stufenlos erreichbar. Tische höhenverstellbar.",
        "step_free": True,
        "hearing_loop": False,
    },
    "treff": {
        "name": "Seniorentreff Garstedt",
        "address": "Europaallee 22, 22850 Norderstedt",
        "directions": "Bus 393 bis Garstedt Markt.",
        "accessibility": "Zwei Stufen am Eingang, eine Rampe ist vorhanden.",
        "step_free": False,
        "hearing_loop": False,
    },
}

# slug, title, teaser, format, level, capacity, location, first day offset, session count, days between
COURSES = [
    (
        "smartphone-grundlagen",
        "Smartphone-Grundlagen",
        "Wischen, tippen, telefonieren: In vier Treffen lernen Sie Ihr Smartphone in Ruhe kennen.",
        CourseFormat.SERIES,
        Level.BEGINNER,
        8,
        "rathaus",
        4,
        4,
        7,
    ),
    (
        "sicher-online-bezahlen",
        "Sicher online bezahlen",
        "So erkennen Sie sichere Shops und bezahlen ohne Sorge im Internet.",
        CourseFormat.SERIES,
        Level.ADVANCED,
        3,
        "buecherei",
        9,
        2,
        7,
    ),
    (
        "videotelefonie-familie",
        "Videotelefonie mit der Familie",
        "Enkel sehen, nicht nur hören: Videoanrufe mit WhatsApp und Co. Schritt für Schritt.",
        CourseFormat.SERIES,
        Level.BEGINNER,
        10,
        "treff",
        16,
        3,
        7,
    ),
    (
        "stadt-app-kennenlernen",
        "Die Stadt-App kennenlernen",
        "Nachrichten, Ausleihe im Stadtpark und Kurse: Kommen Sie vorbei, wann es Ihnen passt.",
        CourseFormat.DROP_IN,
        Level.BEGINNER,
        12,
        "buecherei",
        6,
        4,
        14,
    ),
    (
        "online-termine-buergeramt",
        "Online-Termine beim Bürgeramt",
        "Einen Termin beim Bürgeramt online buchen – wir üben es gemeinsam am echten Beispiel.",
        CourseFormat.SERIES,
        Level.ADVANCED,
        8,
        "rathaus",
        30,
        2,
        7,
    ),
]


def _locations() -> dict[str, Location]:
    return {
        key: Location.objects.update_or_create(name=values["name"], defaults=values)[0]
        for key, values in LOCATIONS.items()
    }


# Leichte Sprache for the academy index and the two courses for beginners: source text → easy text.
EASY_INDEX = {
    "Digitalakademie": "Digital-Akademie",
    "Kurse und Sprechstunden für alle, die sicherer mit Smartphone, Tablet und Internet werden möchten. Die "
    "meisten Kurse sind kostenlos.": "Hier lernen Sie: Wie geht das Handy? Wie geht das Internet? Die meisten "
    "Kurse kosten nichts.",
}
EASY_COURSE_TEXT = {
    "Sie brauchen keine Vorkenntnisse. Fragen sind ausdrücklich erwünscht.": "Sie müssen nichts vorher wissen. Sie "
    "können alles fragen.",
    "Die wichtigsten Einstellungen finden\nSicher mit Passwörtern umgehen\nHilfe finden, wenn etwas nicht klappt": (
        "Die wichtigen Einstellungen finden\nPasswörter sicher benutzen\nHilfe finden bei Problemen"
    ),
    "Menschen, die wenig Erfahrung mit dem Internet haben": "Für Menschen mit wenig Erfahrung im Internet",
    "Ihr eigenes Gerät, aufgeladen, und Ihre Zugangsdaten, falls vorhanden.": "Ihr Handy. Das Handy soll voll "
    "geladen sein. Und Ihre Passwörter, wenn Sie welche haben.",
    "Unterlagen gibt es auf Wunsch in Großdruck. Sagen Sie uns bei der Anmeldung, was Sie brauchen.": "Es gibt die "
    "Papiere auch in großer Schrift. Sagen Sie uns bei der Anmeldung: Was brauchen Sie?",
}
EASY_COURSES = {
    "smartphone-grundlagen": {
        "Smartphone-Grundlagen": "Das Handy kennen-lernen",
        "Wischen, tippen, telefonieren: In vier Treffen lernen Sie Ihr Smartphone in Ruhe kennen.": "Wischen, "
        "tippen, anrufen. Sie lernen Ihr Handy in Ruhe kennen. Der Kurs hat 4 Treffen.",
    },
    "stadt-app-kennenlernen": {
        "Die Stadt-App kennenlernen": "Die Stadt-App kennen-lernen",
        "Nachrichten, Ausleihe im Stadtpark und Kurse: Kommen Sie vorbei, wann es Ihnen passt.": "Wir zeigen "
        "Ihnen die Stadt-App. Sie kommen, wann Sie wollen.",
    },
}


def _easy_pages(index: AcademyIndexPage) -> None:
    """The academy in Leichte Sprache: the index and the courses for beginners, sharing their Course records."""
    easy = Locale.objects.get(language_code="de-ls")
    if index.get_translation_or_none(easy) is None:
        translation_save(instance=index, locale=easy, strings=EASY_INDEX)
    for slug, strings in EASY_COURSES.items():
        page = CoursePage.objects.get(slug=slug, locale=index.locale)
        if page.get_translation_or_none(easy) is None:
            translation_save(instance=page, locale=easy, strings={**EASY_COURSE_TEXT, **strings})


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _index(home: Page) -> AcademyIndexPage:
    index = AcademyIndexPage.objects.filter(locale=home.locale).first()
    if index is None:
        index = home.add_child(
            instance=AcademyIndexPage(
                title="Digitalakademie",
                slug="digitalakademie",
                intro="Kurse und Sprechstunden für alle, die sicherer mit Smartphone, Tablet und Internet "
                "werden möchten. Die meisten Kurse sind kostenlos.",
                locale=home.locale,
            )
        )
        index.save_revision().publish()
    trainer_page_permissions_ensure(index=index)
    return index


def _course(index, *, slug, title, teaser, course_format, level, capacity, trainer, topic) -> Course:
    page = CoursePage.objects.filter(slug=slug, locale=index.locale).select_related("course").first()
    if page is not None:
        return page.course
    course = Course.objects.create(title=title, format=course_format, capacity=capacity, cutoff_hours=24)
    if trainer is not None:
        course.trainers.set([trainer])
    page = CoursePage(
        course=course,
        title=title,
        slug=slug,
        teaser=teaser,
        description=f"<p>{teaser}</p><p>Sie brauchen keine Vorkenntnisse. Fragen sind ausdrücklich erwünscht.</p>",
        learning_goals="Die wichtigsten Einstellungen finden\nSicher mit Passwörtern umgehen\nHilfe finden, wenn etwas "
        "nicht klappt",
        level=level,
        target_group="Menschen, die wenig Erfahrung mit dem Internet haben",
        what_to_bring="Ihr eigenes Gerät, aufgeladen, und Ihre Zugangsdaten, falls vorhanden.",
        accessibility_info="Unterlagen gibt es auf Wunsch in Großdruck. Sagen Sie uns bei der Anmeldung, was Sie "
        "brauchen.",
        large_print=True,
        push_on_publish=False,
        locale=index.locale,
    )
    index.add_child(instance=page)
    if topic is not None:
        page.topics.set([topic])
    page.save_revision().publish()
    return course


def _participants(count: int) -> list:
    user_model = get_user_model()
    people = []
    for number in range(1, count + 1):
        email = f"teilnehmer{number}@demo.norderstedt.de"
        user = user_model.objects.filter(email=email).first()
        if user is None:
            user = user_model(
                username=f"teilnehmer{number}", email=email, first_name="Teilnehmer", last_name=str(number)
            )
            user.set_unusable_password()
            user.save()
        people.append(user)
    return people


def _sessions(course, location, *, first_day, count, every_days, capacity, hour=10, minutes=120):
    if Session.objects.filter(course=course).exists():
        return
    for number in range(count):
        start = _at(first_day + number * every_days, hour)
        Session.objects.create(
            course=course,
            start=start,
            end=start + datetime.timedelta(minutes=minutes),
            location=location,
            capacity=capacity,
        )


def _consultation(index, locations, trainer, topic) -> Course:
    course = _course(
        index,
        slug="digitale-sprechstunde",
        title="Digitale Sprechstunde",
        teaser="Eine halbe Stunde nur für Ihre Frage: Smartphone, Tablet, E-Mail oder Online-Formulare.",
        course_format=CourseFormat.CONSULTATION,
        level=Level.BEGINNER,
        capacity=1,
        trainer=trainer,
        topic=topic,
    )
    if not Session.objects.filter(course=course).exists():
        for day in (5, 12, 19, 33, 47):
            for slot in range(4):
                start = _at(day, 14) + datetime.timedelta(minutes=30 * slot)
                Session.objects.create(
                    course=course,
                    start=start,
                    end=start + datetime.timedelta(minutes=30),
                    location=locations["buecherei"],
                    capacity=1,
                )
    return course


def _full_course_fill(course) -> None:
    """Three demo participants fill "Sicher online bezahlen"; a phone caller waits."""
    if Registration.objects.filter(course=course).exists():
        return
    for person in _participants(3):
        registration_create(course=course, user=person)
    trainer = get_user_model().objects.filter(email=TRAINER_EMAIL).first()
    registration_create(
        course=course,
        name="Erna Muster",
        phone="040 5359 0000",
        note="Ruft lieber vormittags an.",
        registered_by=trainer,
        access_needs=["hearing"],
    )


def _finished_course(index, locations, trainer, topic) -> None:
    """A course that ended last month, so Mein Konto shows a certificate."""
    course = _course(
        index,
        slug="erste-schritte-tablet",
        title="Erste Schritte am Tablet",
        teaser="Vier Treffen rund um das Tablet: Apps, Fotos und Nachrichten.",
        course_format=CourseFormat.SERIES,
        level=Level.BEGINNER,
        capacity=8,
        trainer=trainer,
        topic=topic,
    )
    citizen = get_user_model().objects.filter(email=CITIZEN_EMAIL).first()
    if Session.objects.filter(course=course).exists() or citizen is None:
        return
    sessions = [
        Session.objects.create(
            course=course,
            start=_at(-40 + 7 * number, 10),
            end=_at(-40 + 7 * number, 12),
            location=locations["rathaus"],
            capacity=8,
        )
        for number in range(4)
    ]
    registration = Registration.objects.create(course=course, user=citizen, status=Registration.Status.CONFIRMED)
    for session in sessions[:3]:
        Attendance.objects.create(registration=registration, session=session, present=True, recorded_by=trainer)


@transaction.atomic
def seed(*, home) -> None:
    locations = _locations()
    index = _index(home)
    trainer = get_user_model().objects.filter(email=TRAINER_EMAIL).first()
    topic = Topic.objects.filter(slug="digitalakademie", locale=home.locale).first()
    for slug, title, teaser, course_format, level, capacity, place, first_day, count, every in COURSES:
        course = _course(
            index,
            slug=slug,
            title=title,
            teaser=teaser,
            course_format=course_format,
            level=level,
            capacity=capacity,
            trainer=trainer,
            topic=topic,
        )
        _sessions(course, locations[place], first_day=first_day, count=count, every_days=every, capacity=capacity)
    _full_course_fill(CoursePage.objects.get(slug="sicher-online-bezahlen", locale=home.locale).course)
    _consultation(index, locations, trainer, topic)
    _finished_course(index, locations, trainer, topic)
    _easy_pages(index)

"""Courses become records of their own (migrations 0002–0004): every registration, session and
course setting moves from the page to the course and back again, on SQLite and PostgreSQL."""

import datetime

import pytest

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from home.services import locales_ensure, site_ensure

BEFORE = [("academy", "0001_initial")]
AFTER = [("academy", "0004_course_owns_sessions")]
REGISTRATION_FIELDS = [
    "session_id",
    "user_id",
    "name",
    "phone",
    "email",
    "note",
    "with_companion",
    "seats",
    "access_needs",
    "status",
    "waitlist_position",
    "hold_until",
    "created_at",
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _old_course_page(apps, *, parent, title, slug, locale, translation_key=None, **fields):
    """A course page as 0001 knew it: the tree row through today's Page, the rest historical."""
    from wagtail.models import Page

    content_type = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="academy", model="coursepage"
    )[0]
    extra = {"translation_key": translation_key} if translation_key else {}
    page = parent.add_child(instance=Page(title=title, slug=slug, locale=locale, live=True, **extra))
    Page.objects.filter(pk=page.pk).update(content_type_id=content_type.pk)
    course_page = apps.get_model("academy", "CoursePage")(
        page_ptr_id=page.pk, teaser="Anreißer", description="<p>Text</p>", **fields
    )
    course_page.save_base(raw=True)
    revision = apps.get_model("wagtailcore", "Revision").objects.create(
        content_type_id=content_type.pk,
        base_content_type_id=page.content_type_id,
        object_id=str(page.pk),
        content={"pk": page.pk, "title": title, **{key: str(value) for key, value in fields.items()}},
        object_str=title,
        created_at=timezone.now(),
    )
    return page, revision


def _seed(apps, *, home, locales):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    trainer = users.create_user(username="trainerin", email="t@example.org")
    people = [users.create_user(username=f"b{number}", email=f"b{number}@example.org") for number in range(5)]
    series, revision = _old_course_page(
        apps, parent=home, title="Smartphone-Grundlagen", slug="smartphone", locale=locales["de"],
        format="series", capacity=2, cutoff_hours=12,
    )  # fmt: skip
    _old_course_page(
        apps, parent=home, title="Smartphone basics", slug="smartphone-en", locale=locales["en"],
        translation_key=series.translation_key, format="series", capacity=2, cutoff_hours=12,
    )  # fmt: skip
    drop_in, _revision = _old_course_page(
        apps, parent=home, title="Offener Treff", slug="treff", locale=locales["de"], format="drop_in", capacity=12,
        cutoff_hours=24,
    )  # fmt: skip
    apps.get_model("academy", "CoursePage").trainers.through.objects.create(coursepage_id=series.pk, user_id=trainer.pk)
    location = apps.get_model("academy", "Location").objects.create(name="Rathaus", address="Rathausallee 50")
    Session = apps.get_model("academy", "Session")
    start = timezone.now() + datetime.timedelta(days=3)
    end = start + datetime.timedelta(hours=2)
    series_sessions = [
        Session.objects.create(course_id=series.pk, start=start, end=end, location=location, capacity=2),
        Session.objects.create(
            course_id=series.pk, start=start + datetime.timedelta(days=7), end=end + datetime.timedelta(days=7),
            location=location, capacity=2, status="cancelled", cancel_message="Krank",
        ),
    ]  # fmt: skip
    slot = Session.objects.create(course_id=drop_in.pk, start=start, end=end, location=location, capacity=1)
    Registration = apps.get_model("academy", "Registration")
    confirmed = Registration.objects.create(course_id=series.pk, user_id=people[0].pk, status="confirmed")
    Registration.objects.create(
        course_id=series.pk, user_id=people[1].pk, status="held", hold_until=start, with_companion=False
    )
    Registration.objects.create(course_id=series.pk, user_id=people[2].pk, status="waiting", waitlist_position=1)
    Registration.objects.create(
        course_id=series.pk, name="Erna Muster", phone="040 1", note="vormittags", registered_by_id=trainer.pk,
        status="waiting", waitlist_position=2, access_needs=["hearing"],
    )  # fmt: skip
    Registration.objects.create(course_id=series.pk, user_id=people[3].pk, status="cancelled")
    Registration.objects.create(
        course_id=drop_in.pk, session=slot, user_id=people[4].pk, status="confirmed", seats=2, with_companion=True
    )
    apps.get_model("academy", "Attendance").objects.create(
        registration=confirmed, session=series_sessions[0], present=True
    )
    return {"series": series, "drop_in": drop_in, "revision": revision, "trainer": trainer}


def _registrations(apps, page_of_course) -> dict[int, dict]:
    rows = apps.get_model("academy", "Registration").objects.values("id", "course_id", *REGISTRATION_FIELDS)
    return {row.pop("id"): {**row, "course_id": page_of_course(row["course_id"])} for row in rows}


def _sessions(apps, page_of_course) -> dict[int, tuple]:
    rows = apps.get_model("academy", "Session").objects.values_list("id", "course_id", "start", "capacity", "status")
    return {row[0]: (page_of_course(row[1]), *row[2:]) for row in rows}


def _german_page_of(apps):
    pages = apps.get_model("academy", "CoursePage").objects.filter(locale__language_code="de")
    mapping = dict(pages.values_list("course_id", "pk"))
    return lambda course_id: mapping[course_id]


@pytest.mark.django_db(transaction=True)
def test_courses_move_to_records_with_every_registration_and_back():
    try:
        locales = locales_ensure()
        home = site_ensure()  # before going back: today's Page model must not meet 0001's tables
        old = _migrate(BEFORE)
        seeded = _seed(old, home=home, locales=locales)
        same = lambda page_id: page_id  # noqa: E731 - before, registrations name the page itself
        registrations_before = _registrations(old, same)
        sessions_before = _sessions(old, same)
        assert len(registrations_before) == 6 and len(sessions_before) == 3

        new = _migrate(AFTER)
        assert _registrations(new, _german_page_of(new)) == registrations_before
        assert _sessions(new, _german_page_of(new)) == sessions_before
        Course = new.get_model("academy", "Course")
        assert Course.objects.count() == 2
        series = Course.objects.get(pages__pk=seeded["series"].pk)
        assert (series.title, series.format, series.capacity, series.cutoff_hours, series.status) == (
            "Smartphone-Grundlagen", "series", 2, 12, "offered",
        )  # fmt: skip
        assert list(series.trainers.values_list("pk", flat=True)) == [seeded["trainer"].pk]
        assert series.pages.count() == 2  # the English page shows the same course
        assert Course.objects.get(pages__pk=seeded["drop_in"].pk).format == "drop_in"
        assert new.get_model("academy", "Attendance").objects.count() == 1
        revision = new.get_model("wagtailcore", "Revision").objects.get(pk=seeded["revision"].pk)
        assert revision.content["course"] == series.pk

        old = _migrate(BEFORE)
        assert _registrations(old, same) == registrations_before
        assert _sessions(old, same) == sessions_before
        page = old.get_model("academy", "CoursePage").objects.get(pk=seeded["series"].pk)
        assert (page.format, page.capacity, page.cutoff_hours) == ("series", 2, 12)
        assert list(page.trainers.values_list("pk", flat=True)) == [seeded["trainer"].pk]
        revision = old.get_model("wagtailcore", "Revision").objects.get(pk=seeded["revision"].pk)
        assert "course" not in revision.content and revision.content["capacity"] == 2
    finally:
        _migrate_to_latest()

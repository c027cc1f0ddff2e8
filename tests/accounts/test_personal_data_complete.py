"""One citizen with data in every app: the export holds all of it, and after deletion no table does.

The scan reads every text and JSON column of every table for the citizen's e-mail address, name
and the free texts they wrote, and every column that links to a user for their id.
"""

import pytest
from allauth.account.models import EmailAddress

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.http import HttpRequest

from wagtail.contrib.forms.models import FormSubmission

from academy.models import CourseFormat
from academy.services.messages import participant_message_send
from academy.services.registrations import registration_create
from academy.services.sessions import attendance_record
from home.models import AccessibilityStatementPage
from ideas.services.submission import idea_follow
from rentals.models import Item, Reservation
from rentals.services.staff import reservation_problem_report
from tests.factories.academy import academy_index_create, course_create, session_create, trainer_create
from tests.factories.ideas import IdeaFactory
from tests.factories.notifications import TopicFactory
from tests.factories.rentals import ItemFactory, ReservationFactory

pytestmark = pytest.mark.django_db

EMAIL = "greta.hansen@example.org"
NAME = "Greta Hansen-Quast"
ACCESS_NEEDS = "Ich höre schlecht, bitte vorne sitzen (Hörgerät)"
NOTE = "Kommt mit Rollator über den Seiteneingang"
PROBLEM = "Die Bremse links greift nicht mehr richtig"
FEEDBACK = "Der Aufzug im Rathaus war drei Wochen kaputt"


@pytest.fixture
def citizen(home, locales, client):
    user = get_user_model().objects.create_user(
        username="greta", email=EMAIL, first_name="Greta", last_name="Hansen-Quast", password="Sehr-geheim-1"
    )
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    user.profile.display_name = NAME
    user.profile.save()
    return user


@pytest.fixture
def everything(citizen, home, client):
    # Rentals: a returned loan with a problem report, copied onto the item for staff.
    item = ItemFactory()
    reservation = ReservationFactory(item=item, user=citizen, state=Reservation.State.RETURNED)
    reservation_problem_report(reservation=reservation, text=PROBLEM, user=citizen)
    # Academy: every kind of booking, with access needs, a note, attendance and a message.
    index = academy_index_create(parent=home)
    trainer = trainer_create()
    registrations = []
    for course_format in CourseFormat.values:
        page = course_create(index=index, format=course_format, trainers=[trainer])
        session = session_create(course=page)
        registrations.append(
            registration_create(
                course=page.course,
                session=None if course_format == CourseFormat.SERIES else session,
                user=citizen,
                note=NOTE,
                access_needs_text=ACCESS_NEEDS,
            )
        )
    series = registrations[0]
    attendance_record(session=series.course.sessions.get(), registration=series, present=True, recorded_by=trainer)
    participant_message_send(
        registration=series, reference="test-hinweis", subject="Raumänderung", body="Wir sind jetzt in Raum 2."
    )
    # Ideas and notifications.
    topic = TopicFactory(slug="stadtpark", name="Stadtpark")
    IdeaFactory(topic=topic, author=citizen, title="Bank am Teich")
    idea_follow(idea=IdeaFactory(topic=topic), user=citizen)
    # Feedback sent without signing in, with the citizen's address.
    page = AccessibilityStatementPage.objects.first() or _statement(home)
    FormSubmission.objects.create(
        page=page, form_data={"ihr_name": NAME, "ihre_email_adresse": EMAIL.upper(), "ihre_nachricht": FEEDBACK}
    )
    sign_in = HttpRequest()  # the login lockout needs the request a real sign-in has
    sign_in.META["REMOTE_ADDR"] = "198.51.100.30"
    client.login(request=sign_in, username="greta", password="Sehr-geheim-1")
    return {"item": item, "registrations": registrations}


def _statement(home):
    page = AccessibilityStatementPage(title="Erklärung zur Barrierefreiheit", slug="barrierefreiheit", statement="x")
    home.add_child(instance=page)
    return page


def test_the_export_holds_every_kind_of_booking_and_what_the_citizen_told_us(client, everything):
    response = client.get("/api/v1/me/data/")

    assert response.status_code == 200
    data = response.json()
    assert data["account"]["email_addresses"][0]["email"] == EMAIL
    assert data["account"]["first_name"] == "Greta" and data["account"]["display_name"] == NAME
    assert len(data["account"]["signed_in_sessions"]) == 1
    bookings = data["academy_registrations"]
    assert len(bookings) == 3
    assert all(booking["access_needs_text"] == ACCESS_NEEDS and booking["note"] == NOTE for booking in bookings)
    assert {booking["session_starts_at"] is None for booking in bookings} == {True, False}
    series = next(booking for booking in bookings if booking["session_starts_at"] is None)
    assert [entry["present"] for entry in series["attendance"]] == [True]
    assert any("Raum 2" in message["body"] for message in series["messages"])
    [loan] = data["rental_reservations"]
    assert loan["problem_report"] == PROBLEM
    assert [event["kind"] for event in loan["events"]] == ["problem_reported"]
    [feedback] = data["feedback"]
    assert feedback["answers"]["ihre_nachricht"] == FEEDBACK


def _text_columns():
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        # Local fields only: a child table of multi-table inheritance has no column for its parent's fields
        # (SQLite would read the quoted name as a string and never fail).
        for field in model._meta.local_concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                yield model, field


def _user_columns():
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        # Local fields only: a child table of multi-table inheritance has no column for its parent's fields
        # (SQLite would read the quoted name as a string and never fail).
        for field in model._meta.local_concrete_fields:
            if field.is_relation and field.related_model._meta.label == settings.AUTH_USER_MODEL:
                yield model, field


def _where_found(needle: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for model, field in _text_columns():
            table, column = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(field.column)
            cursor.execute(
                f"SELECT COUNT(*) FROM {table} WHERE LOWER(CAST({column} AS TEXT)) LIKE %s", [f"%{needle.lower()}%"]
            )
            if cursor.fetchone()[0]:
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_after_deletion_no_table_holds_the_citizen(client, citizen, everything):
    user_id = citizen.pk
    assert "rentals.Item.condition_note" in _where_found(PROBLEM)  # the scan can see what it looks for
    assert "wagtailforms.FormSubmission.form_data" in _where_found(FEEDBACK)

    response = client.post("/de/mein-konto/konto-loeschen/", {"confirm": "on"})

    assert response.status_code == 302
    for needle in (EMAIL, NAME, ACCESS_NEEDS, NOTE, PROBLEM, FEEDBACK):
        assert _where_found(needle) == [], needle
    linked = [
        f"{model._meta.label}.{field.name}"
        for model, field in _user_columns()
        if model._default_manager.filter(**{field.attname: user_id}).exists()
    ]
    assert linked == []
    from django.contrib.sessions.models import Session

    assert not any(session.get_decoded().get("_auth_user_id") == str(user_id) for session in Session.objects.all())
    # What the town keeps: the loan for its statistics, the item with its condition.
    assert Reservation.objects.get().anonymised_at is not None
    assert Item.objects.get(pk=everything["item"].pk).condition == Item.Condition.CHECK

"""Citizens' records are never collateral: deleting a course page keeps its sessions and registrations,
and the admin delete view refuses a course with registrations and offers to unpublish it instead."""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from academy.models import Registration, Session
from academy.services.registrations import registration_create
from tests.factories.academy import citizen_create, course_create, session_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(staff_groups):
    user = get_user_model().objects.create_user(username="redaktion", email="red@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name="Redaktion"))
    return user


@pytest.fixture
def booked(academy):
    page = course_create(index=academy, title="Sicher online bezahlen")
    session = session_create(course=page)
    registration = registration_create(course=page.course, user=citizen_create())
    return page, session, registration


def test_deleting_a_course_page_keeps_its_sessions_and_registrations(booked):
    page, session, registration = booked
    page.delete()
    assert Session.objects.filter(pk=session.pk).exists()
    kept = Registration.objects.get(pk=registration.pk)
    assert kept.status == Registration.Status.CONFIRMED
    assert kept.session_id is None and kept.user_id == registration.user_id


def test_delete_view_explains_why_a_course_with_registrations_stays_and_offers_unpublishing(client, editor, booked):
    page, session, registration = booked
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:delete", args=[page.pk])
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dieser Kurs hat Anmeldungen" in body
    assert "Sie können den Kurs aber verbergen" in body
    assert reverse("wagtailadmin_pages:unpublish", args=[page.pk]) in body
    client.post(url)
    page.refresh_from_db()
    assert page.live
    assert Registration.objects.filter(pk=registration.pk).exists()
    assert Session.objects.filter(pk=session.pk).exists()


def test_deleting_the_academy_with_a_booked_course_is_refused_too(client, editor, academy, booked):
    page, _session, registration = booked
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[academy.pk]))
    assert "Dieser Kurs hat Anmeldungen" in response.content.decode()
    assert type(page).objects.filter(pk=page.pk).exists()
    assert Registration.objects.filter(pk=registration.pk).exists()


def test_unpublishing_a_booked_course_keeps_its_registrations(client, editor, booked):
    page, _session, registration = booked
    client.force_login(editor)
    client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    page.refresh_from_db()
    assert not page.live
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CONFIRMED


def test_a_course_page_without_registrations_can_be_deleted_and_its_sessions_stay(client, editor, academy):
    page = course_create(index=academy, title="Noch leer")
    session = session_create(course=page)
    client.force_login(editor)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    assert response.status_code == 302
    assert not type(page).objects.filter(pk=page.pk).exists()
    assert Session.objects.filter(pk=session.pk).exists()


def test_the_last_page_gone_the_course_ends_and_refuses_new_registrations(academy):
    from academy.models import Course
    from academy.services.registrations import RegistrationError

    page = course_create(index=academy, title="Noch leer")
    session_create(course=page)
    course = page.course
    page.delete()
    course.refresh_from_db()
    assert course.status == Course.Status.ARCHIVED
    with pytest.raises(RegistrationError) as error:
        registration_create(course=course, user=citizen_create())
    assert error.value.code == "not_offered"
    assert not Registration.objects.exists()


def test_an_english_translation_of_a_booked_course_can_be_deleted(client, editor, academy, locales, booked):
    from academy.models import Course
    from home.services import translation_save

    page, session, registration = booked
    translation_save(instance=academy.get_parent().specific, locale=locales["en"], strings={})
    translation_save(instance=academy, locale=locales["en"], strings={})
    english = translation_save(instance=page, locale=locales["en"], strings={})
    assert english.course_id == page.course_id
    client.force_login(editor)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[english.pk]))
    assert response.status_code == 302
    assert not type(page).objects.filter(pk=english.pk).exists()
    page.refresh_from_db()
    assert page.live and page.course.status == Course.Status.OFFERED
    assert Registration.objects.filter(pk=registration.pk).exists()
    assert Session.objects.filter(pk=session.pk).exists()


def test_bulk_deleting_a_booked_course_from_the_page_listing_is_refused(client, editor, academy, booked):
    page, _session, registration = booked
    client.force_login(editor)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"]) + f"?id={page.pk}"
    response = client.post(url)
    assert "Dieser Kurs hat Anmeldungen" in response.content.decode()
    page.refresh_from_db()
    assert page.live and page.course.status == "offered"
    assert Registration.objects.filter(pk=registration.pk).exists()

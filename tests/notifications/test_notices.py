import pytest

from django.contrib.auth import get_user_model
from django.core import mail

from notifications.models import Delivery, Outcome, PersonalNotice
from notifications.services import personal_notice_send
from tests.factories.notifications import web_subscription_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(db):
    return get_user_model().objects.create_user(username="anna", email="anna@example.org")


def test_personal_notice_reaches_all_active_devices_of_the_citizen_once(
    push_service, citizen, home, django_capture_on_commit_callbacks
):
    phone = web_subscription_create(service=push_service, user=citizen)
    laptop = web_subscription_create(service=push_service, user=citizen)
    stranger = web_subscription_create(service=push_service)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notice = personal_notice_send(
                user=citizen,
                title="Ihr Platz ist frei",
                body="Bitte bestätigen Sie.",
                url="/de/akademie/",
                reference="r1",
            )
    for device in (phone, laptop):
        [received] = push_service.received_by(device.web_device.registration_id)
        assert received.payload["title"] == "Ihr Platz ist frei"
        assert received.payload["url"].endswith("/de/akademie/")
    assert push_service.received_by(stranger.web_device.registration_id) == []
    notice.refresh_from_db()
    assert (notice.status, notice.channel) == (PersonalNotice.Status.SENT, "push")
    assert mail.outbox == []


def test_personal_notice_falls_back_to_email_without_devices(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = personal_notice_send(
            user=citizen, title="Erinnerung", body="Morgen ist Kurs.", url="/x/", reference="r2"
        )
    notice.refresh_from_db()
    assert (notice.status, notice.channel) == (PersonalNotice.Status.SENT, "email")
    assert [message.to for message in mail.outbox] == [["anna@example.org"]]


def test_personal_notice_falls_back_to_email_when_every_device_is_gone(
    push_service, citizen, django_capture_on_commit_callbacks
):
    phone = web_subscription_create(service=push_service, user=citizen)
    push_service.respond(phone.web_device.registration_id, 410)
    with django_capture_on_commit_callbacks(execute=True):
        notice = personal_notice_send(user=citizen, title="Erinnerung", body="Morgen.", url="/x/", reference="r3")
    notice.refresh_from_db()
    assert notice.channel == "email"
    assert Delivery.objects.get(notice=notice).outcome == Outcome.PERMANENT
    assert len(mail.outbox) == 1


def test_email_always_sends_the_email_and_one_push_per_device_once(
    push_service, citizen, django_capture_on_commit_callbacks
):
    phone = web_subscription_create(service=push_service, user=citizen)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notice = personal_notice_send(
                user=citizen, title="Erinnerung", body="Morgen ist Kurs.", url="/x/", reference="r4", email_always=True
            )
    notice.refresh_from_db()
    assert (notice.status, notice.channel) == (PersonalNotice.Status.SENT, "push+email")
    assert len(push_service.received_by(phone.web_device.registration_id)) == 1
    assert [message.to for message in mail.outbox] == [["anna@example.org"]]


def test_email_always_does_not_wait_for_quiet_hours(push_service, citizen, django_capture_on_commit_callbacks):
    import datetime

    import time_machine

    from notifications.services import personal_notice_deliver

    phone = web_subscription_create(service=push_service, user=citizen, quiet_hours=True)
    night = datetime.datetime(2026, 11, 26, 23, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    with time_machine.travel(night, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            notice = personal_notice_send(
                user=citizen, title="Termin abgesagt", body="Fällt aus.", url="/x/", reference="r5", email_always=True
            )
        personal_notice_deliver(notice=notice)
    notice.refresh_from_db()
    assert notice.status == PersonalNotice.Status.PENDING
    assert push_service.received_by(phone.web_device.registration_id) == []
    assert len(mail.outbox) == 1
    with time_machine.travel(night + datetime.timedelta(hours=8), tick=False):
        personal_notice_deliver(notice=notice)
    notice.refresh_from_db()
    assert (notice.status, notice.channel) == (PersonalNotice.Status.SENT, "push+email")
    assert len(push_service.received_by(phone.web_device.registration_id)) == 1
    assert len(mail.outbox) == 1

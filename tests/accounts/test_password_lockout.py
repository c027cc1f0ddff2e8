"""Password sign-ins lock out after repeated failures (accounts/lockout.py, django-axes)."""

import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.accounts.test_sign_in import _code_from_outbox, _url
from tests.factories.accounts import CitizenFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Richtig-und-lang-2026"
WAGTAIL_LOGIN = "/admin/login/"
DJANGO_LOGIN = "/django-admin/login/"


@pytest.fixture
def editor(home):
    return get_user_model().objects.create_superuser(
        username="redaktion", email="redaktion@example.org", password=PASSWORD
    )


def _attempt(url: str, *, username: str, password: str, address: str = "198.51.100.20", client=None):
    client = client or Client()
    response = client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)
    return client, response


def _assert_locked_out(response) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) == int(settings.AXES_COOLOFF_TIME.total_seconds())
    content = response.content.decode()
    assert "Das Passwort wurde zu oft falsch eingegeben" in content
    assert "15 Minuten gesperrt" in content


@pytest.mark.parametrize("url", [WAGTAIL_LOGIN, DJANGO_LOGIN])
def test_wrong_passwords_lock_the_admin_login_even_for_the_right_one(url, editor, caplog):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _client, response = _attempt(url, username="redaktion", password="falsch")
        assert response.status_code == 200
    caplog.set_level(logging.WARNING)
    _client, response = _attempt(url, username="redaktion", password="falsch")
    _assert_locked_out(response)
    client, response = _attempt(url, username="redaktion", password=PASSWORD)
    _assert_locked_out(response)
    assert "_auth_user_id" not in client.session
    assert AccessFailureLog.objects.filter(username="redaktion").count() == settings.AXES_FAILURE_LIMIT + 1
    assert any("Locking out" in record.getMessage() for record in caplog.records)


def test_one_account_is_protected_across_addresses_and_spellings(editor):
    spellings = ["redaktion", "REDAKTION", "Redaktion@Example.org", "redaktion@example.org", "ReDaKtIoN"]
    for number, spelling in enumerate(spellings):
        _attempt(WAGTAIL_LOGIN, username=spelling, password="falsch", address=f"203.0.113.{number}")
    _client, response = _attempt(WAGTAIL_LOGIN, username="redaktion", password=PASSWORD, address="203.0.113.99")
    _assert_locked_out(response)
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"redaktion"}


def test_one_address_is_locked_out_whatever_account_it_guesses(editor):
    for number in range(settings.AXES_FAILURE_LIMIT):
        _attempt(DJANGO_LOGIN, username=f"gast{number}", password="falsch", address="198.51.100.66")
    _client, response = _attempt(DJANGO_LOGIN, username="redaktion", password=PASSWORD, address="198.51.100.66")
    _assert_locked_out(response)
    _client, response = _attempt(DJANGO_LOGIN, username="redaktion", password=PASSWORD, address="198.51.100.67")
    assert response.status_code == 302


def test_the_lockout_counts_the_client_behind_the_proxy(editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            WAGTAIL_LOGIN,
            {"username": f"gast{number}", "password": "falsch"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.50",
        )
    other = Client().post(
        WAGTAIL_LOGIN,
        {"username": "redaktion", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.51",
    )
    assert other.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.50"}


def test_a_right_password_below_the_limit_signs_in_and_resets_the_count(editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(WAGTAIL_LOGIN, username="redaktion", password="falsch")
    client, response = _attempt(WAGTAIL_LOGIN, username="redaktion", password=PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)
    assert not AccessAttempt.objects.exists()


def test_staff_see_the_failed_attempts_in_the_django_admin(editor):
    _attempt(DJANGO_LOGIN, username="redaktion", password="falsch")
    staff = Client()
    staff.force_login(get_user_model().objects.create_superuser(username="leitung", email="leitung@example.org"))
    for path in ("/django-admin/axes/accessattempt/", "/django-admin/axes/accessfailurelog/"):
        response = staff.get(path)
        assert response.status_code == 200
        assert "198.51.100.20" in response.content.decode()


def test_sign_in_by_code_still_works_from_a_locked_out_address(editor):
    for number in range(settings.AXES_FAILURE_LIMIT):
        _attempt(WAGTAIL_LOGIN, username=f"gast{number}", password="falsch", address="198.51.100.20")
    citizen = CitizenFactory(email="berta@example.org")
    client = Client(REMOTE_ADDR="198.51.100.20")
    assert client.post(_url("account_request_login_code"), {"email": "berta@example.org"}).status_code == 302
    assert mail.outbox
    response = client.post(_url("account_confirm_login_code"), {"code": _code_from_outbox()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)

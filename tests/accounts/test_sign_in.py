"""Sign-in by e-mailed code: request, outbox, code, signed in."""

import re

import pytest

from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from tests.factories.accounts import CitizenFactory

CODE_PATTERN = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4}|[A-Z0-9]{6})\s*$", re.MULTILINE)


def _code_from_outbox() -> str:
    assert mail.outbox, "no e-mail was sent"
    match = CODE_PATTERN.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def _url(name: str) -> str:
    with translation.override("de"):
        return reverse(name)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.mark.django_db
def test_citizen_signs_in_with_emailed_code(client, home):
    citizen = CitizenFactory(email="berta@example.org")
    response = client.post(_url("account_request_login_code"), {"email": "berta@example.org"})
    assert response.status_code == 302
    assert response["Location"].endswith(_url("account_confirm_login_code"))
    assert mail.outbox[-1].to == ["berta@example.org"]

    response = client.post(_url("account_confirm_login_code"), {"code": _code_from_outbox()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)
    assert client.get(_url("accounts:my_account")).status_code == 200


@pytest.mark.django_db
def test_wrong_code_gives_clear_german_error_and_keeps_user_signed_out(client, home):
    CitizenFactory(email="carl@example.org")
    client.post(_url("account_request_login_code"), {"email": "carl@example.org"})
    real = _code_from_outbox()
    wrong = "AAAA-AAAA" if real != "AAAA-AAAA" else "BBBB-BBBB"
    response = client.post(_url("account_confirm_login_code"), {"code": wrong})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    content = response.content.decode()
    assert 'class="errorlist"' in content
    assert "Code" in content


@pytest.mark.django_db
def test_code_request_rate_limit_holds(home):
    from django.test import Client

    CitizenFactory(email="dora@example.org")
    responses = [Client().post(_url("account_request_login_code"), {"email": "dora@example.org"}) for _ in range(5)]
    assert [response.status_code for response in responses[:3]] == [302, 302, 302]
    assert responses[3].status_code == 200
    assert 'class="errorlist"' in responses[3].content.decode()
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_new_citizen_signs_up_without_password_and_confirms_by_code(client, home):
    response = client.post(_url("account_signup"), {"email": "neu@example.org"})
    assert response.status_code == 302
    code = _code_from_outbox()
    response = client.post(_url("account_email_verification_sent"), {"code": code})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email="neu@example.org")
    assert not user.has_usable_password()
    assert user.profile.preferred_language == "de"


@pytest.mark.django_db
def test_my_account_requires_sign_in(client, home):
    response = client.get(_url("accounts:my_account"))
    assert response.status_code == 302
    assert _url("account_request_login_code") in response["Location"]

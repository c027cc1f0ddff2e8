"""Every response header of docs/security.md, "Headers", under production settings.

The header settings are read from a process started with ``cms.settings.production`` (the
environment of test_settings.py) and put in place for the test client, so these tests see what
production sends; the database, hosts and static storage stay the test ones. That the admin
and the public pages really work under the policy is shown in chromium
(tests/browser/test_admin_policy_flows.py; the harness fails every browser test on a violation).
"""

import json

import pytest
from csp.constants import NONCE

from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils.cache import get_max_age

from tests.cms.test_settings import PRODUCTION_ENV, _manage
from tests.factories.accounts import CitizenFactory
from tests.factories.rentals import ReservationFactory

HEADER_SETTINGS = [
    "MIDDLEWARE",
    "CONTENT_SECURITY_POLICY",
    "PERMISSIONS_POLICY",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SAMESITE",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "WAGTAIL_GRAVATAR_PROVIDER_URL",
    "WAGTAIL_ENABLE_UPDATE_CHECK",
]
NONCE_MARK = "<csp.constants.NONCE>"


def _restore_nonce(value):
    if value == NONCE_MARK:
        return NONCE
    if isinstance(value, dict):
        return {key: _restore_nonce(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_restore_nonce(item) for item in value]
    return value


@pytest.fixture(scope="module")
def production_header_settings() -> dict:
    probe = (
        "import json\nfrom django.conf import settings\nfrom csp.constants import NONCE\n"
        f"names = {HEADER_SETTINGS!r}\n"
        f"print(json.dumps({{name: getattr(settings, name, None) for name in names}},"
        f" default=lambda value: {NONCE_MARK!r} if value is NONCE else str(value)))\n"
    )
    result = _manage("shell", "-c", probe, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    return _restore_nonce(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.fixture
def production(settings, production_header_settings, home):
    for name, value in production_header_settings.items():
        if value is not None or hasattr(settings, name):
            setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" else value)
    return settings


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def _cache_directives(response) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def _vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_public_page_gets_a_strict_policy_without_inline_script_or_style(client, production):
    response = client.get("/de/", secure=True)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'" and "'unsafe-inline'" not in policy["script-src"]
    assert policy["style-src"][0] == "'self'" and "'unsafe-inline'" not in policy["style-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    # No template of this page asked for a nonce, so none is announced.
    assert not any(source.startswith("'nonce-") for source in policy["script-src"])


def test_admin_keeps_scripts_strict_and_allows_inline_styles_and_its_own_preview_frame(production):
    user = get_user_model().objects.create_superuser(username="ada", email="ada@example.org", password="x")
    response = signed_in_client(user).get("/admin/", secure=True)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "gravatar" not in response.content.decode()


def test_wagtail_inline_start_up_scripts_carry_the_request_nonce(production, home):
    from tests.factories.news import NewsPageFactory, news_index_create

    news_page = NewsPageFactory(parent=news_index_create(parent=home))
    user = get_user_model().objects.create_superuser(username="ada", email="ada@example.org", password="x")
    response = signed_in_client(user).get(f"/admin/pages/{news_page.pk}/edit/", secure=True)
    assert response.status_code == 200
    nonce = next(s for s in _directives(response["Content-Security-Policy"])["script-src"] if s.startswith("'nonce-"))
    html = response.content.decode()
    assert f'<script nonce="{nonce[7:-1]}">initDateChooser(' in html
    assert "<script>" not in html


def test_permissions_policy_turns_off_camera_microphone_and_location(client, production):
    response = client.get("/de/", secure=True)
    features = {
        part.split("=")[0].strip(): part.split("=")[1].strip() for part in response["Permissions-Policy"].split(",")
    }
    assert features["camera"] == "()"
    assert features["microphone"] == "()"
    assert features["geolocation"] == "()"
    assert features["payment"] == "()"
    assert features["clipboard-write"] == "(self)"


PERSONAL_PAGES = [
    "/api/v1/me/",
    "/api/v1/me/data/",
    "/api/v1/rentals/reservations/",
    "/api/v1/academy/registrations/mine/",
    "/de/mein-konto/",
    "/de/mein-konto/meine-daten/",
    "/de/benachrichtigungen/",
    "/de/",
]


@pytest.mark.parametrize("path", PERSONAL_PAGES)
def test_every_answer_for_a_signed_in_citizen_is_private_and_not_stored(production, path):
    response = signed_in_client(CitizenFactory()).get(path, secure=True)
    assert response.status_code == 200, response.content[:300]
    assert {"private", "no-store"} <= _cache_directives(response)
    assert "public" not in _cache_directives(response)
    assert {"cookie", "authorization", "x-session-token"} <= _vary(response)


def test_api_answer_for_a_session_token_is_private_and_varies_on_the_token(production):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    user = CitizenFactory()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    response = Client().get("/api/v1/me/", secure=True, headers={"X-Session-Token": session.session_key})
    assert response.status_code == 200, response.content[:300]
    assert response.json()["email"] == user.email
    assert {"private", "no-store"} <= _cache_directives(response)
    assert "x-session-token" in _vary(response)


def test_ticket_behind_a_secret_link_is_private_without_a_sign_in(production):
    reservation = ReservationFactory()
    response = Client().get(f"/de/verleih/ticket/{reservation.qr_token}/", secure=True)
    assert response.status_code == 200
    assert {"private", "no-store"} <= _cache_directives(response)


def test_staff_admin_screens_are_private(production):
    user = get_user_model().objects.create_superuser(username="ada", email="ada@example.org", password="x")
    for path in ("/admin/", "/admin/verleih/reservierungen/", "/django-admin/"):
        response = signed_in_client(user).get(path, secure=True)
        assert response.status_code == 200, path
        assert {"private", "no-store"} <= _cache_directives(response), path


def test_anonymous_public_answers_stay_cacheable(client, production):
    """Control: the marking is not a blanket no-store, or the public news API could never be cached."""
    for path in ("/api/v1/news/", "/de/"):
        response = client.get(path, secure=True)
        assert response.status_code == 200
        assert "no-store" not in _cache_directives(response), path
        assert get_max_age(response) is None or get_max_age(response) >= 0


def test_language_cookie_is_secure_http_only_and_same_site(client, production):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/en/"}, secure=True)
    cookie = response.cookies["django_language"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_no_avatar_and_no_update_check_leave_the_portal(production):
    from wagtail.users.utils import get_gravatar_url

    assert get_gravatar_url("ada@example.org") is None
    assert production.WAGTAIL_ENABLE_UPDATE_CHECK is False

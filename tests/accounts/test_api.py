"""The app signs in through allauth's headless API and uses its session token on /api/v1/."""

import pytest

from django.core.cache import cache

from accounts.registry import PersonalData, register_personal_data
from accounts.services import AccountDeletionBlocked
from tests.api_schema import call_and_validate, session_token
from tests.factories.accounts import CitizenFactory, app_session_token


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.fixture(autouse=True)
def _own_personal_data_registry(monkeypatch):
    from accounts import registry

    monkeypatch.setattr(registry, "_personal_data", dict(registry._personal_data))


@pytest.mark.django_db
def test_app_signs_in_by_code_and_reads_its_profile_with_the_token(client, home):
    CitizenFactory(email="app@example.org")
    token = app_session_token(client, "app@example.org")
    client.logout()
    response = client.get("/api/v1/me/", headers={"x-session-token": token})
    assert response.status_code == 200
    assert response.json()["email"] == "app@example.org"


@pytest.mark.django_db
def test_me_without_token_is_a_401_problem(client, home):
    response = client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_profile_update_rejects_unknown_language_politely(client, home):
    citizen = CitizenFactory()
    client.force_login(citizen)
    response = client.patch("/api/v1/me/", {"preferred_language": "fr"}, content_type="application/json")
    assert response.status_code == 400
    assert "preferred_language" in response.json()["errors"]
    response = client.patch("/api/v1/me/", {"preferred_language": "en"}, content_type="application/json")
    assert response.json()["preferred_language"] == "en"


@pytest.mark.django_db
def test_export_contains_profile_and_registered_app_data(client, home):
    citizen = CitizenFactory(email="export@example.org")
    register_personal_data(
        PersonalData(key="test_app", export=lambda *, user: {"items": [user.email]}, erase=lambda *, user: None)
    )
    client.force_login(citizen)
    data = client.get("/api/v1/me/data/").json()
    assert data["account"]["email"] == "export@example.org"
    assert data["test_app"] == {"items": ["export@example.org"]}
    download = client.get("/de/mein-konto/meine-daten/")
    assert download["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
def test_deleting_the_account_erases_app_data_first_and_signs_out(client, home):
    from django.contrib.auth import get_user_model

    erased = []
    register_personal_data(
        PersonalData(key="test_app", export=lambda *, user: {}, erase=lambda *, user: erased.append(user.pk))
    )
    citizen = CitizenFactory()
    client.force_login(citizen)
    response = client.post("/de/mein-konto/konto-loeschen/", {})
    assert response.status_code == 200
    assert "Bitte bestätigen Sie" in response.content.decode()
    assert get_user_model().objects.filter(pk=citizen.pk).exists()

    response = client.post("/de/mein-konto/konto-loeschen/", {"confirm": "on"})
    assert response.status_code == 302
    assert erased == [citizen.pk]
    assert not get_user_model().objects.filter(pk=citizen.pk).exists()
    assert "_auth_user_id" not in client.session


@pytest.fixture
def deletion_blocked(monkeypatch):
    from accounts import api

    def blocked(*, user):
        raise AccountDeletionBlocked

    monkeypatch.setattr(api, "account_delete", blocked)


@pytest.mark.django_db
def test_a_blocked_deletion_is_a_409_problem_that_matches_the_schema(home, deletion_blocked):
    """It answered ``{"detail": …}`` as plain JSON, unlike every other API error."""
    CitizenFactory(email="app@example.org")
    response = call_and_validate("DELETE", "/me/", headers={"X-Session-Token": session_token("app@example.org")})
    assert response.status_code == 409
    assert response.headers["content-type"] == ["application/problem+json"]
    problem = response.json()
    assert problem["status"] == 409 and problem["type"].endswith("/konto-loeschen-blockiert")
    assert problem["detail"].startswith("Wir konnten Ihr Konto gerade nicht löschen.")

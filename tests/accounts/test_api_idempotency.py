"""Idempotency-Key on the profile: a retried change answers as the first did."""

import pytest

from accounts.models import Profile
from tests.factories.accounts import CitizenFactory

pytestmark = pytest.mark.django_db


def test_a_retried_profile_change_replays_and_another_body_is_refused(client, home):
    citizen = CitizenFactory()
    client.force_login(citizen)
    body = {"display_name": "Berta Meyer"}
    first = client.patch("/api/v1/me/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="p-1")
    second = client.patch("/api/v1/me/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="p-1")
    assert first.status_code == second.status_code == 200
    assert second["Idempotent-Replayed"] == "true"
    assert Profile.objects.get(user=citizen).display_name == "Berta Meyer"
    other = client.patch(
        "/api/v1/me/", {"display_name": "B. Meyer"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="p-1"
    )
    assert other.status_code == 422
    assert Profile.objects.get(user=citizen).display_name == "Berta Meyer"


def test_deleting_the_account_with_a_key_answers_204_and_keeps_no_key(client, home):
    from cms.models import IdempotencyKey

    citizen = CitizenFactory()
    client.force_login(citizen)
    response = client.delete("/api/v1/me/", HTTP_IDEMPOTENCY_KEY="bye-1")
    assert response.status_code == 204, response.content
    assert not IdempotencyKey.objects.exists()

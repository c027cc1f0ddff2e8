"""Idempotency-Key on the ideas writes: submission, support and follow are made once per key."""

import pytest

from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from ideas.models import Follow, Idea, Support
from tests.factories.ideas import IdeaFactory
from tests.ideas.test_api import SUBMISSION

pytestmark = pytest.mark.django_db


def test_a_retried_submission_makes_one_idea_and_replays_the_answer(client, citizen, topic):
    client.force_login(citizen)
    first = client.post("/api/v1/ideas/", SUBMISSION, content_type="application/json", HTTP_IDEMPOTENCY_KEY="i-1")
    second = client.post("/api/v1/ideas/", SUBMISSION, content_type="application/json", HTTP_IDEMPOTENCY_KEY="i-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Idea.objects.count() == 1


def test_the_same_key_for_another_idea_is_refused(client, citizen, topic):
    client.force_login(citizen)
    client.post("/api/v1/ideas/", SUBMISSION, content_type="application/json", HTTP_IDEMPOTENCY_KEY="i-2")
    other = {**SUBMISSION, "title": "Bänke am Ossenmoorpark"}
    response = client.post("/api/v1/ideas/", other, content_type="application/json", HTTP_IDEMPOTENCY_KEY="i-2")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert Idea.objects.count() == 1


def test_support_and_follow_replay_their_first_answer(client, citizen, topic):
    idea = IdeaFactory(topic=topic)
    client.force_login(citizen)
    for path in ("support", "follow"):
        first = client.post(f"/api/v1/ideas/{idea.pk}/{path}/", HTTP_IDEMPOTENCY_KEY=f"{path}-1")
        second = client.post(f"/api/v1/ideas/{idea.pk}/{path}/", HTTP_IDEMPOTENCY_KEY=f"{path}-1")
        assert first.status_code == second.status_code, (path, first.content, second.content)
        assert 200 <= first.status_code < 300
        assert second["Idempotent-Replayed"] == "true"
    assert Support.objects.filter(idea=idea, user=citizen).count() == 1
    assert Follow.objects.filter(idea=idea, user=citizen).count() == 1


def test_a_browser_session_with_csrf_can_send_a_bodyless_form_post_with_a_key(citizen, topic):
    """The CSRF check reads a form body as request.POST first; the key's fingerprint must not need the raw body."""
    idea = IdeaFactory(topic=topic)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(citizen)
    token = _get_new_csrf_string()
    browser.cookies[settings.CSRF_COOKIE_NAME] = token
    headers = {"HTTP_X_CSRFTOKEN": token, "HTTP_IDEMPOTENCY_KEY": "form-1"}
    first = browser.post(f"/api/v1/ideas/{idea.pk}/support/", {}, **headers)
    second = browser.post(f"/api/v1/ideas/{idea.pk}/support/", {}, **headers)
    assert first.status_code == 201, first.content
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    withdrawn = browser.delete(f"/api/v1/ideas/{idea.pk}/support/", **{**headers, "HTTP_IDEMPOTENCY_KEY": "form-2"})
    assert withdrawn.status_code == 200, withdrawn.content
    assert not Support.objects.filter(idea=idea, user=citizen).exists()


def test_an_idea_with_a_large_photo_and_a_key_is_made_once(client, citizen, topic, settings, tmp_path):
    """The upload is bigger than Django keeps in memory for ``request.body``; the key still works."""
    import io

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.effect_noise((1400, 1000), 120).convert("RGB").save(buffer, format="PNG")
    assert buffer.tell() > settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def submit():
        buffer.seek(0)
        photo = io.BytesIO(buffer.getvalue())
        photo.name = "spielplatz.png"
        form = {**SUBMISSION, "image": photo, "image_alt": "Der Spielplatz am Teich"}
        return client.post("/api/v1/ideas/", form, HTTP_IDEMPOTENCY_KEY="photo-1")

    client.force_login(citizen)
    first, second = submit(), submit()
    assert first.status_code == 201, first.content
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert Idea.objects.count() == 1

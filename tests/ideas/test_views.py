"""Public pages: the idea store, an idea, submitting, supporting, similar ideas; Mein Konto."""

import pytest

from ideas.models import Follow, Idea, IdeaStatus, Support
from ideas.services.submission import idea_merge, idea_reject_in_moderation
from tests.factories.ideas import IdeaFactory, UserFactory


def test_index_lists_only_public_ideas_with_filters_and_sorting(client, idea_index, topic):
    popular = IdeaFactory(topic=topic, title="Beliebte Idee", district="garstedt")
    IdeaFactory(topic=topic, title="Neue Idee", district="harksheide")
    IdeaFactory(topic=topic, title="Wartende Idee", status=IdeaStatus.SUBMITTED)
    for _ in range(2):
        Support.objects.create(idea=popular, user=UserFactory())
    page = client.get(idea_index.url).content.decode()
    assert "Beliebte Idee" in page and "Neue Idee" in page
    assert "Wartende Idee" not in page
    by_support = client.get(idea_index.url, {"sortierung": "unterstuetzt"}).content.decode()
    assert by_support.index("Beliebte Idee") < by_support.index("Neue Idee")
    by_district = client.get(idea_index.url, {"stadtteil": "harksheide"}).content.decode()
    assert "Beliebte Idee" not in by_district and "Neue Idee" in by_district
    by_status = client.get(idea_index.url, {"status": IdeaStatus.SELECTED}).content.decode()
    assert "Neue Idee" not in by_status
    by_topic = client.get(idea_index.url, {"thema": "stadtpark"}).content.decode()
    assert "Neue Idee" in by_topic


@pytest.mark.parametrize("count", [10, 100])
def test_index_query_budget_holds_for_10_and_100_ideas(client, idea_index, topic, count, django_assert_max_num_queries):
    supporter = UserFactory()
    ideas = [IdeaFactory.build(topic=topic, author=None, title=f"Idee {n}") for n in range(count)]
    Idea.objects.bulk_create(ideas)
    Support.objects.bulk_create([Support(idea=idea, user=supporter) for idea in Idea.objects.all()[:5]])
    client.force_login(supporter)
    # About 20 of these are the page frame (site, locales, menus); the list itself is a fixed handful.
    with django_assert_max_num_queries(34):
        response = client.get(idea_index.url)
    assert response.status_code == 200


def test_signed_in_citizen_submits_an_idea_and_sees_it_waiting(client, citizen, topic, idea_index):
    client.force_login(citizen)
    response = client.post(
        "/de/ideen/einreichen/",
        {
            "title": "Trinkbrunnen im Stadtpark",
            "description": "Öffentliche Trinkbrunnen an allen Spielplätzen im Stadtpark.",
            "need": "Kinder haben im Sommer Durst.",
            "topic": topic.pk,
            "district": "garstedt",
        },
        follow=True,
    )
    idea = Idea.objects.get(title="Trinkbrunnen im Stadtpark")
    assert idea.author == citizen and idea.status == IdeaStatus.SUBMITTED
    assert "Ihre Idee wird geprüft" in response.content.decode()


def test_submitting_needs_a_sign_in(client, topic):
    response = client.get("/de/ideen/einreichen/")
    assert response.status_code == 302 and "/konto/" in response["Location"]


def test_bad_input_in_the_form_gets_clear_messages(client, citizen, topic):
    client.force_login(citizen)
    response = client.post("/de/ideen/einreichen/", {"title": "Ab", "description": "", "need": "", "topic": 999})
    page = response.content.decode()
    assert response.status_code == 200
    start = page.find("errorlist")
    assert start > 0, page[page.find("<form") : page.find("</form>")]
    assert not Idea.objects.exists()


def test_an_idea_in_moderation_is_visible_only_to_its_author(client, citizen, topic):
    idea = IdeaFactory(topic=topic, author=citizen, status=IdeaStatus.SUBMITTED)
    assert client.get(idea.get_absolute_url()).status_code == 404
    client.force_login(citizen)
    assert client.get(idea.get_absolute_url()).status_code == 200


def test_a_merged_idea_redirects_to_the_one_it_joined(client, topic, moderator):
    target, duplicate = IdeaFactory(topic=topic), IdeaFactory(topic=topic)
    idea_merge(source=duplicate, target=target, actor=moderator)
    response = client.get(duplicate.get_absolute_url())
    assert response.status_code == 301 and response["Location"] == target.get_absolute_url()


def test_detail_shows_the_public_timeline(client, topic):
    idea = IdeaFactory(topic=topic)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Verlauf" in page and "im Ideenspeicher" in page


def test_supporting_and_following_through_the_page(client, citizen, topic):
    idea = IdeaFactory(topic=topic)
    client.force_login(citizen)
    client.post(f"/de/ideen/{idea.pk}/unterstuetzen/")
    client.post(f"/de/ideen/{idea.pk}/unterstuetzen/")
    client.post(f"/de/ideen/{idea.pk}/folgen/")
    assert Support.objects.filter(idea=idea).count() == 1
    assert Follow.objects.filter(idea=idea, user=citizen).exists()
    client.post(f"/de/ideen/{idea.pk}/unterstuetzen/", {"action": "zurueckziehen"})
    assert not Support.objects.filter(idea=idea).exists()


def test_similar_ideas_endpoint_hints_without_blocking(client, topic):
    IdeaFactory(topic=topic, title="Live-Karte für den Bürgerbus")
    IdeaFactory(topic=topic, title="Mehr Bänke im Park")
    IdeaFactory(topic=topic, title="Bürgerbus-Karte (wartet)", status=IdeaStatus.SUBMITTED)
    titles = [
        row["title"] for row in client.get("/de/ideen/aehnliche/", {"titel": "Karte Bürgerbus"}).json()["results"]
    ]
    assert titles == ["Live-Karte für den Bürgerbus"]
    assert client.get("/de/ideen/aehnliche/", {"titel": "ab"}).json() == {"results": []}


def test_my_account_shows_the_reason_for_not_publishing(client, citizen, topic, moderator):
    idea = IdeaFactory(topic=topic, author=citizen, status=IdeaStatus.SUBMITTED)
    idea_reject_in_moderation(idea=idea, actor=moderator, reason="Das setzt die Stadt schon um.")
    client.force_login(citizen)
    page = client.get("/de/mein-konto/").content.decode()
    assert "Meine Ideen" in page and "Das setzt die Stadt schon um." in page


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_image_is_stored_with_its_description(client, citizen, topic):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(citizen)
    fields = {
        "title": "Bänke am Stadtparksee",
        "description": "Mehr Bänke am Stadtparksee, damit ältere Menschen Pausen machen können.",
        "need": "Ältere Menschen brauchen Pausen.",
        "topic": topic.pk,
    }
    without_alt = client.post("/de/ideen/einreichen/", {**fields, "image": SimpleUploadedFile("see.png", _png())})
    assert "Bitte beschreiben Sie kurz, was das Bild zeigt." in without_alt.content.decode()
    client.post(
        "/de/ideen/einreichen/",
        {**fields, "image": SimpleUploadedFile("see.png", _png()), "image_alt": "Der See mit einer leeren Wiese"},
    )
    idea = Idea.objects.get()
    assert idea.image.name.endswith(".png") and idea.image_alt == "Der See mit einer leeren Wiese"

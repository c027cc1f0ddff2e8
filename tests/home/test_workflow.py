"""The optional news workflow: an editor submits, Redaktionsleitung approves."""

import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.models import Workflow
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.services import NEWS_WORKFLOW, news_workflow_ensure
from news.models import NewsPage
from tests.factories.news import news_index_create


def _staff(username: str, *groups):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw", is_staff=True)
    user.groups.add(*groups)
    return user


@pytest.mark.django_db
def test_submitted_news_goes_live_only_after_approval(client, home, staff_groups):
    index = news_index_create(parent=home)
    workflow = news_workflow_ensure(news_index=index, active=True)
    Workflow.objects.filter(pk=workflow.pk).update(active=True)
    editor = _staff("rita", staff_groups["Redaktion"])
    lead = _staff("lars", staff_groups["Redaktion"], staff_groups["Redaktionsleitung"])

    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("news", "newspage", index.pk)),
        nested_form_data(
            {
                "title": "Stadtfest",
                "slug": "stadtfest",
                "date": "2026-11-26",
                "teaser": "Am Wochenende ist Stadtfest.",
                "image_alt": "",
                "body": streamfield([("paragraph", rich_text("<p>Mit Musik.</p>"))]),
                "push_urgency": "normal",
                "action-submit": "submit",
            }
        ),
    )
    assert response.status_code == 302
    page = NewsPage.objects.get(slug="stadtfest")
    assert not page.live
    state = page.current_workflow_state
    assert state is not None and state.workflow.name == NEWS_WORKFLOW

    client.force_login(lead)
    task_state = state.current_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)), {"comment": ""}
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live


@pytest.mark.django_db
def test_workflow_is_created_inactive(home, staff_groups):
    index = news_index_create(parent=home)
    workflow = news_workflow_ensure(news_index=index)
    assert not workflow.active
    assert news_workflow_ensure(news_index=index).pk == workflow.pk

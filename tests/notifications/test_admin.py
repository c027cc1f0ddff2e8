import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from notifications.models import Campaign
from tests.factories.news import NewsPageFactory
from tests.factories.notifications import web_subscription_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(staff_groups):
    user = get_user_model().objects.create_user(username="redaktion", email="r@example.org", password="x")
    user.groups.add(Group.objects.get(name="Redaktion"))
    return user


def test_campaign_report_shows_figures_subscribers_and_sends_per_day(
    client, editor, push_service, traffic, news_index, django_capture_on_commit_callbacks
):
    web_subscription_create(service=push_service, topics=[traffic])
    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True, title="Baustelle Ochsenzoll")
    client.force_login(editor)
    response = client.get("/admin/reports/versaende/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Baustelle Ochsenzoll" in html
    assert 'value="100"' in html  # the progress bar of the finished campaign
    assert "Abonnenten pro Thema" in html and "Gesendete Benachrichtigungen pro Tag" in html
    progress = client.get("/admin/reports/versaende/fortschritt/").json()
    assert progress == {"campaigns": []}
    assert Campaign.objects.get(page=page).sent == 1


def test_campaign_report_needs_the_permission(client, home):
    outsider = get_user_model().objects.create_user(username="b", email="b@example.org", password="x")
    outsider.user_permissions.add(*Permission.objects.filter(codename="access_admin"))
    client.force_login(outsider)
    assert client.get("/admin/reports/versaende/").status_code in (302, 403)


def test_page_editor_shows_whether_and_when_the_page_was_pushed(
    client, push_service, traffic, news_index, django_capture_on_commit_callbacks
):
    web_subscription_create(service=push_service, topics=[traffic])
    with django_capture_on_commit_callbacks(execute=True):
        pushed = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)
    quiet = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=False)
    admin = get_user_model().objects.create_superuser(username="admin", email="a@example.org", password="x")
    client.force_login(admin)
    html = client.get(f"/admin/pages/{pushed.pk}/edit/").content.decode()
    assert "Versand am" in html and "1 von 1 Geräten erreicht" in html
    html = client.get(f"/admin/pages/{quiet.pk}/edit/").content.decode()
    assert "noch nicht als Benachrichtigung gesendet" in html

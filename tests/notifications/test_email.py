import pytest

from django.contrib.auth import get_user_model
from django.core import mail

from notifications.models import EmailDelivery
from notifications.services import email_digest_send, email_subscriptions_set
from tests.factories.news import NewsPageFactory

pytestmark = pytest.mark.django_db


def test_email_digest_goes_out_once_for_citizens_who_chose_it(
    traffic, park, news_index, django_capture_on_commit_callbacks
):
    users = get_user_model().objects
    digest = users.create_user(username="d", email="digest@example.org")
    immediate = users.create_user(username="i", email="sofort@example.org")
    email_subscriptions_set(user=digest, modes={"verkehr-baustellen": "digest"})
    email_subscriptions_set(user=immediate, modes={"verkehr-baustellen": "immediate"})
    users.create_user(username="n", email="nichts@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True, title="Sperrung A")
        NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True, title="Sperrung B")
        NewsPageFactory(parent=news_index, topics=[park], push_on_publish=True, title="Parkfest")
    assert sorted(message.subject for message in mail.outbox) == ["Sperrung A", "Sperrung B"]
    assert all(message.to == ["sofort@example.org"] for message in mail.outbox)

    mail.outbox.clear()
    assert email_digest_send() == 1
    assert email_digest_send() == 0
    [message] = mail.outbox
    assert message.to == ["digest@example.org"]
    assert "Sperrung A" in message.body and "Sperrung B" in message.body and "Parkfest" not in message.body
    assert not EmailDelivery.objects.filter(sent_at__isnull=True).exists()

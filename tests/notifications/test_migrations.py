"""The history migrations move data: tested forwards and backwards on real rows."""

import pytest

from django.core.management import call_command

from notifications.models import Campaign, Delivery, Platform
from tests.factories.news import NewsPageFactory
from tests.factories.notifications import web_subscription_create

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = "0004_campaign_skipped"


def _migrate(target: str) -> None:
    call_command("migrate", "notifications", target, verbosity=0)


def test_history_migrations_fill_platform_and_title_and_run_backwards(
    push_service, traffic, news_index, django_capture_on_commit_callbacks
):
    kept = web_subscription_create(service=push_service, topics=[traffic])
    gone = web_subscription_create(service=push_service, topics=[traffic])
    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True, title="Baustelle")
    try:
        _migrate(BEFORE)
        _migrate("0006_history_backfill")
        assert set(Delivery.objects.values_list("platform", flat=True)) == {Platform.WEB}
        assert Campaign.objects.get(page=page).page_title == "Baustelle"

        Delivery.objects.filter(subscription=gone).update(subscription=None)
        _migrate(BEFORE)
        _migrate("0006_history_backfill")
        # The old schema could not hold the orphaned delivery; everything else came through.
        assert list(Delivery.objects.values_list("subscription_id", flat=True)) == [kept.pk]
        assert Campaign.objects.get(page=page).sent == 2
    finally:
        call_command("migrate", "notifications", verbosity=0)


def test_the_languages_migration_gives_old_campaigns_every_language_and_runs_backwards(traffic, news_index):
    page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True, title="Baustelle")
    campaign = Campaign.objects.get(page=page)  # its plan task did not run (on_commit)
    reached = campaign.texts
    assert set(reached) == {"de", "en", "de-ls"} and reached["en"]["fallback"] is True
    try:
        _migrate("0006_history_backfill")
        campaign.refresh_from_db()
        assert campaign.texts == {"de": reached["de"]}
        _migrate("0007_campaign_languages")
        campaign.refresh_from_db()
        assert campaign.texts == reached
    finally:
        call_command("migrate", "notifications", verbosity=0)

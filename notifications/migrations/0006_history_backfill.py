"""Fill the columns that let history outlive its devices and pages (issue 11).

Forwards: each delivery gets its device's platform, each campaign its page's
title. Backwards: rows that the old schema cannot hold (a delivery whose device
is gone, a campaign whose page is gone) are deleted, as the old CASCADE did;
every other row is kept. A separate migration from the schema change, so on
PostgreSQL no ALTER TABLE runs in the transaction that updated the rows.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Delivery = apps.get_model("notifications", "Delivery")
    Campaign = apps.get_model("notifications", "Campaign")
    Subscription = apps.get_model("notifications", "Subscription")
    Page = apps.get_model("wagtailcore", "Page")
    Delivery.objects.filter(platform="", subscription__isnull=False).update(
        platform=Subquery(Subscription.objects.filter(pk=OuterRef("subscription_id")).values("platform")[:1])
    )
    Campaign.objects.filter(page_title="", page__isnull=False).update(
        page_title=Subquery(Page.objects.filter(pk=OuterRef("page_id")).values("title")[:1])
    )


def orphans_delete(apps, schema_editor):
    Delivery = apps.get_model("notifications", "Delivery")
    Campaign = apps.get_model("notifications", "Campaign")
    Delivery.objects.filter(subscription__isnull=True).delete()
    Campaign.objects.filter(page__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0005_history_survives_devices_and_pages"),
    ]

    operations = [migrations.RunPython(backfill, orphans_delete)]

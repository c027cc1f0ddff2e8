"""Campaigns reach the languages in ``texts`` (issue 11): give existing campaigns every language.

Before, a campaign reached every device and fell back to German at send time.
Forwards: each language missing from ``texts`` gets the campaign's German text
(else its own), marked ``fallback``, so a campaign planned again still reaches
everyone it did. Backwards: the fallback entries are removed.
"""

from django.conf import settings
from django.db import migrations


def fallbacks_add(apps, schema_editor):
    Campaign = apps.get_model("notifications", "Campaign")
    for campaign in Campaign.objects.all().iterator():
        own = {"title": campaign.title, "text": campaign.text, "url": campaign.url}
        source = campaign.texts.get(settings.LANGUAGE_CODE) or own
        missing = [code for code, _name in settings.LANGUAGES if code not in campaign.texts]
        if missing:
            campaign.texts = {**campaign.texts, **{code: {**source, "fallback": True} for code in missing}}
            campaign.save(update_fields=["texts"])


def fallbacks_remove(apps, schema_editor):
    Campaign = apps.get_model("notifications", "Campaign")
    for campaign in Campaign.objects.all().iterator():
        kept = {code: text for code, text in campaign.texts.items() if not text.get("fallback")}
        if kept != campaign.texts:
            campaign.texts = kept
            campaign.save(update_fields=["texts"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0006_history_backfill")]

    operations = [migrations.RunPython(fallbacks_add, fallbacks_remove)]

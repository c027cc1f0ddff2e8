"""Campaigns: one send-out per published page (and per "erneut senden").

Wagtail fires ``page_published`` for scheduled drafts as well, with the page not
live yet; only a live page whose revision is not waiting for go-live creates a
campaign. Pages in a moderation workflow publish (and so push) when the last
task approves them.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.models import Page, Revision

from notifications.models import Campaign, PushOnPublishMixin
from notifications.push.payload import payload_build

logger = logging.getLogger(__name__)


def _page_texts(page: Page) -> dict[str, dict[str, str]]:
    """Title, text and URL of every live translation, by language."""
    texts = {}
    translations = Page.objects.filter(translation_key=page.translation_key, live=True).select_related("locale")
    for translation in [page, *translations.exclude(pk=page.pk)]:
        specific = translation.specific
        if not isinstance(specific, PushOnPublishMixin):
            continue
        texts[specific.locale.language_code] = {
            "title": specific.push_title or specific.title,
            "text": specific.push_text or specific.push_default_text(),
            "url": specific.get_full_url() or specific.url or "/",
        }
    return texts


def _languages_reached(*, page: Page, live_texts: dict[str, dict[str, str]]) -> dict[str, dict]:
    """The languages this publication pushes to, each with its text.

    A translation reaches only its own language's followers: its source may still
    be a draft. The source (the page in the default language) reaches its own
    language and every language without a live translation, with its own text
    marked ``fallback`` (issue 11: an English page published first had sent
    English to German followers).
    """
    language = page.locale.language_code
    if language != settings.LANGUAGE_CODE:
        return {language: live_texts[language]}
    texts: dict[str, dict] = dict(live_texts)
    for code, _name in settings.LANGUAGES:
        texts.setdefault(code, {**live_texts[language], "fallback": True})
    return texts


def _campaign_languages_add(*, page: Page, round_number: int, texts: dict[str, dict]) -> Campaign | None:
    """Add the languages of a later publication (a translation, or the source) to the existing campaign.

    Under the campaign's row lock, so two translations published at once both
    get in. A language already reached is not reached again (one push per device
    and page); if it was reached with the source's text, its own text replaces it
    for the deliveries still waiting (quiet hours). Returns the campaign when
    languages were added, so it is planned again (planning adds only the missing
    deliveries).
    """
    with transaction.atomic():
        campaign = (
            Campaign.objects.select_for_update()
            .filter(translation_key=page.translation_key, round=round_number)
            .first()
        )
        if campaign is None:
            return None
        merged, added = dict(campaign.texts), False
        for code, text in texts.items():
            current = merged.get(code)
            if current is None:
                merged[code], added = text, True
            elif current.get("fallback") and not text.get("fallback"):
                merged[code] = text
        if merged == campaign.texts:
            return None
        campaign.texts = merged
        fields = ["texts"]
        if page.locale.language_code == settings.LANGUAGE_CODE:
            # The source is the campaign's face in the report from now on.
            source = texts[settings.LANGUAGE_CODE]
            campaign.page, campaign.page_title, campaign.locale = page, page.title[:255], page.locale
            campaign.title, campaign.text, campaign.url = (
                source["title"][:120],
                source["text"][:300],
                source["url"][:500],
            )
            fields += ["page", "page_title", "locale", "title", "text", "url"]
        campaign.save(update_fields=fields)
    return campaign if added else None


def _is_going_live_now(*, page: Page, revision: Revision | None) -> bool:
    if not page.live:
        return False
    if revision is not None and revision.approved_go_live_at and revision.approved_go_live_at > timezone.now():
        return False
    return not (page.go_live_at and page.go_live_at > timezone.now())


def _resend_clear(*, page: Page, revision: Revision | None) -> None:
    """Untick "erneut senden" so the next publication does not send again."""
    type(page).objects.filter(pk=page.pk).update(push_resend=False)
    latest = Revision.page_revisions.filter(object_id=str(page.pk)).order_by("-created_at", "-id").first()
    for candidate in {r for r in (revision, latest) if r is not None}:
        if candidate.content.get("push_resend"):
            candidate.content["push_resend"] = False
            Revision.objects.filter(pk=candidate.pk).update(content=candidate.content)


def campaign_create_for_page(*, page: Page, revision: Revision | None = None) -> Campaign | None:
    """Create the campaign for a page that just went live, once per translation group and round.

    The unique constraint on (translation group, round) is what holds under
    concurrency; the IntegrityError branch is a later publication of the group
    (or the loser of the race), which adds its languages to the campaign. The
    plan task is enqueued after commit, so a rolled-back publish pushes nothing.
    """
    page = page.specific
    if not isinstance(page, PushOnPublishMixin) or not page.push_on_publish:
        return None
    if not _is_going_live_now(page=page, revision=revision):
        return None
    topics = list(page.push_topics())
    if not topics:
        return None
    round_number = revision.pk if (page.push_resend and revision is not None) else 0
    texts = _languages_reached(page=page, live_texts=_page_texts(page))
    source = texts[page.locale.language_code]
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                page=page,
                page_title=page.title[:255],
                locale=page.locale,
                translation_key=page.translation_key,
                round=round_number,
                title=source["title"][:120],
                text=source["text"][:300],
                url=source["url"][:500],
                topic_keys=sorted({str(topic.translation_key) for topic in topics}),
                topic_label=topics[0].slug,
                urgency=page.push_urgency,
                texts=texts,
            )
    except IntegrityError:
        campaign = _campaign_languages_add(page=page, round_number=round_number, texts=texts)
        if campaign is None:
            return None
    if round_number:
        _resend_clear(page=page, revision=revision)
    from notifications.tasks import enqueue_campaign_plan

    transaction.on_commit(lambda: enqueue_campaign_plan(campaign_id=campaign.pk))
    return campaign


def campaign_payload(*, campaign: Campaign, language: str) -> dict:
    """The payload for one language. Planning targets only languages in ``texts``; the fallbacks are for
    campaigns made before languages were targeted."""
    text = (
        campaign.texts.get(language)
        or campaign.texts.get(settings.LANGUAGE_CODE)
        or {"title": campaign.title, "text": campaign.text, "url": campaign.url}
    )
    return payload_build(title=text["title"], text=text["text"], url=text["url"], topic=campaign.topic_label)

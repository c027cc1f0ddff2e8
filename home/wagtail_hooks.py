"""Admin hooks of the page kit: the Leichte Sprache check as a warning in the page editor."""

from django.contrib import messages
from django.utils.translation import ngettext

from wagtail import hooks

from home.easy_language import check, page_text

SHOWN_FINDINGS = 5


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def leichte_sprache_warning(request, page):
    """Saving a Leichte Sprache page shows what the check finds; saving is never blocked."""
    _warn(request, page)
    return None


@hooks.register("before_edit_page", order=-10)
def leichte_sprache_warning_on_open(request, page):
    """Opening one shows it too: wagtail-localize's translation editor, which replaces the page
    editor for synced translations, runs no save hooks of ours. Runs before it and never answers."""
    if request.method == "GET":
        _warn(request, page.get_latest_revision_as_object())
    return None


def _warn(request, page) -> None:
    if page.locale.language_code != "de-ls":
        return
    findings = check(page_text(page))
    if findings:
        summary = ngettext(
            "Leichte Sprache: %(count)d Stelle bitte prüfen.",
            "Leichte Sprache: %(count)d Stellen bitte prüfen.",
            len(findings),
        ) % {"count": len(findings)}
        messages.warning(request, " ".join([summary, *(str(finding) for finding in findings[:SHOWN_FINDINGS])]))

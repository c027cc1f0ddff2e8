"""GDPR export and erasure of feedback a citizen sent through a form page (registered with accounts.registry).

The feedback form on the Erklärung zur Barrierefreiheit can be sent without signing in, so a
submission has no link to an account. It belongs to a citizen when one of its answers is one of
their e-mail addresses; those submissions are exported and, with the account, deleted.
"""

from typing import Any

from allauth.account.models import EmailAddress

from django.contrib.auth.models import AbstractBaseUser

from wagtail.contrib.forms.models import FormSubmission

COVERS = frozenset({"wagtailforms.FormSubmission.form_data"})
EDITORIAL = "set by editors on the form page"
NOT_PERSONAL = {
    "home.AccessibilityStatementPage.from_address": EDITORIAL,
    "home.AccessibilityStatementPage.to_address": EDITORIAL,
    "home.AccessibilityStatementPage.thank_you_text": EDITORIAL,
    "home.FeedbackFormField.clean_name": EDITORIAL,
    "home.FeedbackFormField.help_text": EDITORIAL,
    # The search index copies only what is public anyway (pages, item types, public ideas without
    # their authors); an idea that leaves the public view leaves the index after commit.
    "home.SearchEntry.text": "public text copied for the site search",
    "home.SearchEntry.text_language": "the language code of that text",
}


def _addresses(user: AbstractBaseUser) -> set[str]:
    addresses = {address.lower() for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    if user.email:
        addresses.add(user.email.lower())
    return addresses


def _submissions_of(user: AbstractBaseUser) -> list[FormSubmission]:
    """Read one by one: answers are JSON and their keys are each form's own field names."""
    addresses = _addresses(user)
    if not addresses:
        return []
    return [
        submission
        for submission in FormSubmission.objects.select_related("page").order_by("submit_time").iterator()
        if any(isinstance(value, str) and value.strip().lower() in addresses for value in submission.form_data.values())
    ]


def form_submissions_export(*, user: AbstractBaseUser) -> list[dict[str, Any]]:
    return [
        {
            "form": submission.page.title,
            "submitted_at": submission.submit_time.isoformat(),
            "answers": submission.form_data,
        }
        for submission in _submissions_of(user)
    ]


def form_submissions_erase(*, user: AbstractBaseUser) -> None:
    FormSubmission.objects.filter(pk__in=[submission.pk for submission in _submissions_of(user)]).delete()

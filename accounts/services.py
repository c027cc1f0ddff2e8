"""Writes for citizen accounts."""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from accounts.models import Profile

logger = logging.getLogger(__name__)


class AccountDeletionBlocked(Exception):
    """A record still protects the account from deletion; nothing was deleted.

    ``str(error)`` is the message for the citizen, in the active language.
    """

    def __init__(self) -> None:
        super().__init__(
            _(
                "Wir konnten Ihr Konto gerade nicht löschen. Ihre Daten sind unverändert. "
                "Bitte rufen Sie uns an: 040 535 95 0. Wir löschen Ihr Konto dann für Sie."
            )
        )


def profile_ensure(*, user: AbstractBaseUser, language: str = "") -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    if language and profile.preferred_language != language:
        profile.preferred_language = language
        profile.save(update_fields=["preferred_language"])
    return profile


@transaction.atomic
def profile_update(*, user: AbstractBaseUser, preferred_language: str, display_name: str) -> Profile:
    profile = profile_ensure(user=user)
    profile.preferred_language = preferred_language
    profile.display_name = display_name
    profile.save(update_fields=["preferred_language", "display_name"])
    return profile


def account_export(*, user: AbstractBaseUser) -> dict:
    """Everything the portal holds about a citizen, as one JSON document, one key per registered entry."""
    from accounts.registry import personal_data_entries

    profile_ensure(user=user)
    return {entry.key: entry.export(user=user) for entry in personal_data_entries()}


def account_delete(*, user: AbstractBaseUser) -> None:
    """Erase a citizen: every app erases or anonymises its records, then the user goes.

    One transaction: if any app fails, nothing is deleted and the citizen can try again. A
    foreign key that still protects the user (``PROTECT`` or ``RESTRICT``) becomes
    ``AccountDeletionBlocked``, logged with the protecting models so staff can resolve it.
    """
    try:
        _account_erase(user=user)
    except (ProtectedError, RestrictedError) as error:
        blocking = error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
        models = sorted({obj._meta.label for obj in blocking})
        logger.warning("Deleting account %s is blocked by %s; nothing was deleted.", user.pk, ", ".join(models))
        raise AccountDeletionBlocked from error


@transaction.atomic
def _account_erase(*, user: AbstractBaseUser) -> None:
    from accounts.registry import personal_data_entries

    for entry in personal_data_entries():
        entry.erase(user=user)
    user.delete()

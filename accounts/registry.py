"""The extension point of "Mein Konto".

Domain apps (academy, rentals, notifications) add a section to the citizen's
account page without ``accounts`` importing them::

    # in academy/apps.py, AppConfig.ready()
    from accounts.registry import AccountSection, register_section

    register_section(AccountSection(
        key="registrations",
        title=_("Meine Anmeldungen"),
        template="academy/account_section.html",
        context=registrations_for_account,   # (*, user) -> dict
        order=20,
    ))

The template is rendered with the dict the ``context`` callable returns, plus
``request`` and ``user``. Sections render in ``order``; a key can be registered
once (re-registering with the same key replaces it, which keeps autoreload safe).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils.functional import Promise


@dataclass(frozen=True)
class AccountSection:
    key: str
    title: str | Promise
    template: str
    context: Callable[..., dict[str, Any]] = field(default=lambda *, user: {})
    order: int = 100


_sections: dict[str, AccountSection] = {}


def register_section(section: AccountSection) -> None:
    _sections[section.key] = section


def sections() -> list[AccountSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def sections_for(*, user: AbstractBaseUser) -> list[tuple[AccountSection, dict[str, Any]]]:
    return [(section, section.context(user=user)) for section in sections()]


@dataclass(frozen=True)
class PersonalData:
    """How an app exports and erases what it holds about a citizen (GDPR Art. 15, 17, 20).

    ``export(user=…)`` returns JSON-serialisable data. ``erase(user=…)`` deletes or
    anonymises it before the account itself is deleted; records the town must keep
    (e.g. loan statistics) are anonymised rather than deleted.

    ``covers`` and ``not_personal`` make the registry checkable:
    ``tests/accounts/test_personal_data_coverage.py`` walks every model and fails on a
    field that looks personal (a link to a user, an address, a name, a free text) and
    that no entry claims.
    """

    key: str
    export: Callable[..., Any]
    erase: Callable[..., None]
    # The personal fields ("app_label.Model.field") this entry exports and erases or anonymises.
    covers: frozenset[str] = frozenset()
    # Fields that look personal but are not a citizen's data, each with the reason.
    not_personal: Mapping[str, str] = field(default_factory=dict)


_personal_data: dict[str, PersonalData] = {}


def register_personal_data(entry: PersonalData) -> None:
    _personal_data[entry.key] = entry


def personal_data_entries() -> list[PersonalData]:
    return [_personal_data[key] for key in sorted(_personal_data)]


def personal_fields_claimed() -> dict[str, str]:
    """Every field an entry claims: ``label -> entry key`` (covered) or ``label -> reason``."""
    claimed: dict[str, str] = {}
    for entry in personal_data_entries():
        claimed.update(dict.fromkeys(entry.covers, entry.key))
        claimed.update(entry.not_personal)
    return claimed

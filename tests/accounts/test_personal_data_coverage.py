"""Every personal field of every model is claimed by a GDPR entry (accounts.registry).

A field "looks personal" when it links to a user, holds an e-mail or IP address, or its name
says it holds a name, a phone number, an address, a note, a message, a reason or other free
text a person wrote. Each such field must be covered by an entry (exported and erased) or
declared not personal with a reason. A new model that stores people's data without telling
the export and the erasure fails here.
"""

import re

from django.apps import apps
from django.conf import settings
from django.db import models

from accounts.registry import personal_data_entries, personal_fields_claimed

LOOKS_PERSONAL = re.compile(
    r"(^|_)(name|email|phone|address|note|report|message|body|needs|comment|reason|text|data|answer|ip)(_|$)"
)


def _looks_personal(field: models.Field) -> bool:
    if field.is_relation and field.related_model is not None:
        return field.related_model._meta.label == settings.AUTH_USER_MODEL
    if isinstance(field, models.EmailField | models.GenericIPAddressField):
        return True
    return isinstance(field, models.CharField | models.TextField | models.JSONField) and bool(
        LOOKS_PERSONAL.search(field.name)
    )


def _personal_fields() -> set[str]:
    found = set()
    for model in apps.get_models():
        for field in [*model._meta.concrete_fields, *model._meta.local_many_to_many]:
            if field.model is not model:
                continue  # an inherited field is checked on the model that declares it
            if _looks_personal(field):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def _claimed(label: str, claimed: dict[str, str]) -> bool:
    app_label, model_name, _field = label.split(".")
    return label in claimed or f"{app_label}.{model_name}.*" in claimed or f"{app_label}.*" in claimed


def test_every_field_that_looks_personal_is_claimed_by_an_entry():
    claimed = personal_fields_claimed()
    unclaimed = sorted(label for label in _personal_fields() if not _claimed(label, claimed))
    assert unclaimed == [], (
        "These fields look personal but no GDPR entry covers them or says why they are not: " + ", ".join(unclaimed)
    )


def test_every_claim_names_a_field_that_exists():
    real = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
    }
    apps_and_models = {model._meta.app_label for model in apps.get_models()} | {
        model._meta.label for model in apps.get_models()
    }
    stale = [
        label
        for label in personal_fields_claimed()
        if label not in real and label.removesuffix(".*") not in apps_and_models
    ]
    assert stale == []


def test_the_walk_finds_the_fields_it_is_meant_to_find():
    """The walker itself: a citizen's free text, an address and a link to a user are found."""
    found = _personal_fields()
    assert {"rentals.Reservation.problem_report", "academy.Registration.email", "ideas.Support.user"} <= found
    assert "rentals.Reservation.starts_at" not in found


def test_entries_do_not_cover_the_same_field_twice():
    owners: dict[str, list[str]] = {}
    for entry in personal_data_entries():
        for label in entry.covers:
            owners.setdefault(label, []).append(entry.key)
    assert {label: keys for label, keys in owners.items() if len(keys) > 1} == {}

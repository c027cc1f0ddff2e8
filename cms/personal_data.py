"""GDPR: the API's stored answers for idempotent retries (registered with accounts.registry).

A stored answer can hold what the write returned (a reservation with its PIN), so it is part of
the citizen's data for the 24 hours it is kept: the export lists the writes, the erasure deletes them.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from cms.models import IdempotencyKey

COVERS = frozenset({"cms.IdempotencyKey.user", "cms.IdempotencyKey.body"})


def idempotency_keys_export(*, user: AbstractBaseUser) -> list[dict[str, Any]]:
    keys = IdempotencyKey.objects.filter(user=user).order_by("created_at")
    return [
        {"method": key.method, "path": key.path, "status": key.status_code, "created_at": key.created_at.isoformat()}
        for key in keys
    ]


def idempotency_keys_erase(*, user: AbstractBaseUser) -> None:
    IdempotencyKey.objects.filter(user=user).delete()

"""The project's own table: stored answers to API writes sent with an Idempotency-Key."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class IdempotencyKey(models.Model):
    """One write the app may send again (a lost answer, a retry on a bad network).

    The unique constraint on (client, key) is the guard: two requests with the
    same key, even at the same moment, insert one row, so the write runs once
    and the second request gets the stored answer (``cms.api.idempotency``).
    Kept 24 hours (``idempotency_keys_purge``).
    """

    client = models.CharField(max_length=80)
    key = models.CharField(max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(encoder=DjangoJSONEncoder, null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="idempotency_key_once_per_client")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"

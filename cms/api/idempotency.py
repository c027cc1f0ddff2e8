"""Idempotency keys for every API write (draft-ietf-httpapi-idempotency-key-header).

https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/ —
an app that sends ``Idempotency-Key: <random UUID>`` with a write may send the
same request again (after a timeout, a lost answer) and gets the first answer
back, marked ``Idempotent-Replayed: true``, instead of a second reservation. The
key belongs to the signed-in user (or, anonymously, the device key or the
client address) and is kept 24 hours. The same key with a different method,
path or body is refused with 422.

How it holds under contention: the key row is inserted first, inside the same
transaction as the write. A second request with the same key blocks on the
unique index until the first commits, then finds the stored answer. Only
successful answers (2xx) are kept; after a refusal the key may be used again.
"""

import datetime
import functools
import hashlib
import json

from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from django.db import IntegrityError, transaction
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.api.errors import problem_response
from cms.models import IdempotencyKey

HEADER = "Idempotency-Key"
KEEP = datetime.timedelta(hours=24)
MAX_LENGTH = 100


def _client(request) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    device = request.headers.get("X-Device-Key", "") or request.META.get("REMOTE_ADDR", "")
    return "anon:" + hashlib.sha256(device.encode()).hexdigest()[:64]


def _fingerprint(request) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.content_type.startswith("multipart/form-data"):
        # An upload may be larger than Django lets ``request.body`` hold in memory.
        digest.update(_parsed_form(request))
        return digest.hexdigest()
    try:
        digest.update(request.body or b"")
    except RawPostDataException:
        # A form body that the CSRF check (session sign-in) read as ``request.POST``
        # first: its stream is gone, so hash what was parsed.
        digest.update(_parsed_form(request))
    return digest.hexdigest()


def _parsed_form(request) -> bytes:
    fields = sorted((name, value) for name in request.POST for value in request.POST.getlist(name))
    files = []
    for name, upload in sorted(request.FILES.items()):
        content = hashlib.sha256()
        for chunk in upload.chunks():
            content.update(chunk)
        upload.seek(0)
        files.append((name, upload.name, upload.size, content.hexdigest()))
    return json.dumps([fields, files], default=str).encode()


def _key(request) -> str:
    key = request.headers.get(HEADER, "")
    if key and (len(key) > MAX_LENGTH or not key.isprintable()):
        raise ValidationError({HEADER: [_("Der Idempotency-Key ist höchstens 100 druckbare Zeichen lang.")]})
    return key


def _replay(record: IdempotencyKey, fingerprint: str) -> Response:
    if record.request_hash != fingerprint:
        return problem_response(
            status_code=422,
            detail=_("Dieser Idempotency-Key gehört zu einer anderen Anfrage."),
            code="idempotency-key-reused",
        )
    response = Response(record.body, status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(view_method):
    """Decorate an APIView's ``post``/``patch``/``delete`` to honour ``Idempotency-Key``."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = _key(request)
        if not key:
            return view_method(self, request, *args, **kwargs)
        client, fingerprint = _client(request), _fingerprint(request)
        IdempotencyKey.objects.filter(client=client, key=key, created_at__lt=timezone.now() - KEEP).delete()
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    client=client,
                    key=key,
                    user=request.user if request.user.is_authenticated else None,
                    method=request.method,
                    path=request.path[:300],
                    request_hash=fingerprint,
                    status_code=0,
                )
                response = view_method(self, request, *args, **kwargs)
                stored = IdempotencyKey.objects.filter(pk=record.pk)
                account_gone = record.user_id is not None and request.user.pk is None
                if 200 <= response.status_code < 300 and not account_gone:
                    stored.update(status_code=response.status_code, body=getattr(response, "data", None))
                else:
                    # A refusal may be retried with the same key; an account that deleted
                    # itself has nobody left to replay to (and its keys went with it).
                    stored.delete()
                return response
        except IntegrityError:
            record = IdempotencyKey.objects.filter(client=client, key=key).first()
            if record is None:
                raise
            return _replay(record, fingerprint)

    return wrapper


def idempotency_keys_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete keys older than 24 hours. Idempotent; scheduled in ``cms.schedules``."""
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=(now or timezone.now()) - KEEP).delete()
    return deleted


def idempotency_header_hook(result, generator, request, public):
    """drf-spectacular postprocessing hook: document the header on every write operation."""
    parameter = {
        "in": "header",
        "name": HEADER,
        "required": False,
        "schema": {"type": "string", "maxLength": MAX_LENGTH},
        "description": "A random UUID per intended write; a retry with the same key gets the first answer.",
    }
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method in ("post", "patch", "delete"):
                parameters = operation.setdefault("parameters", [])
                if not any(existing.get("name") == HEADER for existing in parameters):
                    parameters.append(parameter)
    return result

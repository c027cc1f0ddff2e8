"""Call the API in-process through schemathesis and check the answer against the published schema.

The fuzz test (tests/cms/test_api_fuzz.py) and the focused regression tests share these, so "the answer
matches the schema" means the same everywhere: no 500, the documented content type, and a body that
validates against the documented response for its status code.
"""

from schemathesis import openapi
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from tests.factories.accounts import app_session_token

SCHEMA_URL = "/api/v1/schema/?format=json"
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


class InProcessWSGIHandler(WSGIHandler):
    """Django's WSGI handler as its test client runs it: the end of a request does not close the
    database connection. On PostgreSQL it would, because the test's transaction is open, and the next
    request would find the connection closed."""

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = super().__call__(environ, start_response)
            body = b"".join(response)
            response.close()
            return [body]
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def api_schema():
    """The schema as drf-spectacular serves it, bound to the portal as a WSGI app (no network)."""
    return openapi.from_wsgi(SCHEMA_URL, InProcessWSGIHandler())


def call_and_validate(method: str, path: str, *, body=NOT_SET, schema=None, **parts):
    """One request to ``path`` (a template under /api/v1, e.g. ``/academy/sessions/``); fails with
    schemathesis's report when the answer contradicts the schema. ``parts``: ``path_parameters``,
    ``query``, ``headers``."""
    operation = (schema or api_schema())[f"/api/v1{path}"][method.upper()]
    media_type = "application/json" if body is not NOT_SET else None
    case = operation.Case(body=body, media_type=media_type, **parts)
    return case.call_and_validate(checks=CHECKS)


def session_token(email: str) -> str:
    """A fresh app session token for ``email`` (its own client, so no cookie is shared)."""
    return app_session_token(Client(), email)

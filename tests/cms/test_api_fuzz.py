"""Schemathesis drives every operation of the public API in-process and finds no 500 and no answer that
contradicts the schema (issue 13, item 7). How to run it, its seed and its bounds: docs/api.md, "Fuzz test".

The test database holds the demo (``seed_demo``). Each operation is called anonymously and as the demo
citizen with an allauth session token. Generated ids are mixed with ids of real objects, so the fuzzer
reaches past the 404s, and with integers beyond 64 bits, which bad ids used to turn into 500s. Every
example runs inside a savepoint that is rolled back, so each one meets the same demo data (a generated
``DELETE /me/`` does not sign the citizen out for the rest of the run), and the throttle counts are
cleared before each call: throttling has its own tests, here it would only turn answers into 429s.
"""

import base64

import pytest
import schemathesis
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from academy.models import CoursePage, Registration
from ideas.models import Assignment, Idea
from news.models import NewsPage
from notifications.models import Platform
from notifications.services import subscription_register
from rentals.models import ItemType, Reservation
from tests.api_schema import CHECKS, api_schema, session_token

pytestmark = pytest.mark.django_db

SEED = 20261203
MAX_EXAMPLES = 18
CITIZEN = "buergerin@demo.norderstedt.de"
BEYOND_64_BITS = [2**63, 2**64 + 1, -(2**63) - 1, 10**30]
# Operations that still fail, each with its issue. The test fails when one of them passes, so the entry
# is removed together with the fix.
# (who, "METHOD /path") pairs that fail for a reason tracked in an issue; none at the moment.
KNOWN_FAILURES: set[tuple[str, str]] = set()


def _device_key() -> str:
    """A registered browser; its key in ``X-Device-Key`` lets the device endpoints get past the 404."""
    public_key = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    _subscription, key = subscription_register(
        platform=Platform.WEB,
        token="https://127.0.0.1/push/fuzz",
        p256dh=base64.urlsafe_b64encode(point).decode().rstrip("="),
        auth=base64.urlsafe_b64encode(b"fuzz-auth-secret").decode().rstrip("="),
        language="de",
        topic_slugs=[],
    )
    return key


def _known_path_parameters() -> dict[str, list[dict]]:
    """Real ids and slugs for each path template, so part of the examples find something."""

    def ids(queryset) -> list[dict]:
        return [{"id": pk} for pk in queryset.values_list("pk", flat=True)[:5]]

    registrations = Registration.objects.filter(user__email=CITIZEN).values_list("pk", flat=True)[:5]
    return {
        "/academy/courses/{id}/": ids(CoursePage.objects.live()),
        "/academy/registrations/{id}/{action}/": [
            {"id": pk, "action": action} for pk in registrations for action in ("cancel", "leave", "confirm")
        ],
        "/ideas/{id}/": ids(Idea.objects.all()),
        "/ideas/{id}/follow/": ids(Idea.objects.all()),
        "/ideas/{id}/support/": ids(Idea.objects.all()),
        "/ideas/scorecards/{id}/": ids(Assignment.objects.all()),
        "/news/{id}/": ids(NewsPage.objects.live()),
        "/pages/{id}/": ids(NewsPage.objects.live()),
        "/rentals/item-types/{slug}/availability/": [
            {"slug": slug} for slug in ItemType.objects.values_list("slug", flat=True)[:5]
        ],
        "/rentals/reservations/{id}/": ids(Reservation.objects.filter(user__email=CITIZEN)),
        "/rentals/reservations/{id}/cancel/": ids(Reservation.objects.filter(user__email=CITIZEN)),
        "/rentals/reservations/{id}/open/": ids(Reservation.objects.filter(user__email=CITIZEN)),
    }


def _beyond_64_bits(case, number: int):
    """The case with every integer in its query and JSON body replaced by ``number``: ids beyond
    64 bits answered 500 (issue 13, item 7), and generated integers rarely get that large."""
    for part in ("query", "body"):
        values = getattr(case, part)
        if isinstance(values, dict):
            setattr(case, part, {key: _replaced(value, number) for key, value in values.items()})
    return case


def _replaced(value, number: int):
    return number if isinstance(value, int) and not isinstance(value, bool) else value


def _strategy(operation, *, known: list[dict], headers: dict):
    """Positive and negative examples, positive ones with integers beyond 64 bits and, where the demo
    has some, positive ones with real ids: about a quarter each."""
    strategies = [operation.as_strategy(generation_mode=mode, headers=headers) for mode in schemathesis.GenerationMode]
    strategies.append(
        st.builds(_beyond_64_bits, operation.as_strategy(headers=headers), st.sampled_from(BEYOND_64_BITS))
    )
    if known:
        strategies.append(
            st.sampled_from(known).flatmap(
                lambda parameters: operation.as_strategy(path_parameters=parameters, headers=headers)
            )
        )
    return st.one_of(strategies)


def _drive(operation, strategy) -> None:
    @seed(SEED)
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def call(case):
        cache.clear()
        with transaction.atomic():
            case.call_and_validate(checks=CHECKS)
            transaction.set_rollback(True)

    call()


@pytest.fixture
def demo(home):
    call_command("seed_demo", verbosity=0)


def test_public_api_answers_every_generated_request_without_500_or_schema_violation(demo):
    schema = api_schema()
    known = _known_path_parameters()
    device = {"X-Device-Key": _device_key()}
    failures = []
    for who, signed_in in (("anonymous", {}), ("citizen", {"X-Session-Token": session_token(CITIZEN)})):
        for result in schema.get_all_operations():
            operation = result.ok()
            path = operation.path.removeprefix("/api/v1")
            headers = {**signed_in, **(device if path == "/push/devices/current/" else {})}
            expected_to_fail = (who, operation.label) in KNOWN_FAILURES
            try:
                _drive(operation, _strategy(operation, known=known.get(path, []), headers=headers))
            except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 -- report every failure
                if not expected_to_fail:
                    failures.append(f"{who}, {operation.label}: {failure}"[:3000])
            else:
                if expected_to_fail:
                    failures.append(f"{who}, {operation.label} passes now: remove it from KNOWN_FAILURES.")
    assert not failures, "\n\n".join(failures)

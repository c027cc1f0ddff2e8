"""Who may do what through the API: one row per endpoint and role.

Roles: anonymous, the owner of the record, another citizen, a staff member (who uses the admin,
not the citizen API, for other people's records), and for scorecards a member and a non-member
of the working group. Every refused write leaves the record as it was.
"""

import pytest

from academy.models import Registration
from academy.services.registrations import registration_create
from ideas.models import Scorecard
from ideas.selectors.evaluation import criteria_of
from rentals.models import Reservation
from tests.factories.academy import academy_index_create, course_create, session_create
from tests.factories.accounts import CitizenFactory
from tests.factories.ideas import IdeaFactory, UserFactory, group_with_members, open_round
from tests.factories.notifications import TopicFactory
from tests.factories.rentals import ReservationFactory

pytestmark = pytest.mark.django_db

ANONYMOUS_REFUSED = {401}


@pytest.fixture
def people():
    staff = UserFactory(username="staff-member", is_staff=True)
    return {"owner": CitizenFactory(), "other": CitizenFactory(), "staff": staff}


@pytest.fixture
def records(people, home):
    reservation = ReservationFactory(user=people["owner"])
    index = academy_index_create(parent=home)
    page = course_create(index=index)
    session_create(course=page)
    registration = registration_create(course=page.course, user=people["owner"])
    return {"reservation": reservation, "registration": registration}


def _as(client, people, role):
    if role != "anonymous":
        client.force_login(people[role])
    return client


ROWS = [
    # (method, path template, expected status per role)
    ("get", "/api/v1/me/", {"anonymous": ANONYMOUS_REFUSED, "owner": {200}, "other": {200}, "staff": {200}}),
    ("get", "/api/v1/me/data/", {"anonymous": ANONYMOUS_REFUSED, "owner": {200}, "other": {200}, "staff": {200}}),
    (
        "get",
        "/api/v1/rentals/reservations/{reservation}/",
        {"anonymous": ANONYMOUS_REFUSED, "owner": {200}, "other": {404}, "staff": {404}},
    ),
    (
        "post",
        "/api/v1/rentals/reservations/{reservation}/cancel/",
        {"anonymous": ANONYMOUS_REFUSED, "owner": {200}, "other": {404}, "staff": {404}},
    ),
    (
        "post",
        "/api/v1/rentals/reservations/{reservation}/open/",
        {"anonymous": ANONYMOUS_REFUSED, "other": {404}, "staff": {404}},
    ),
    (
        "post",
        "/api/v1/academy/registrations/{registration}/cancel/",
        {"anonymous": ANONYMOUS_REFUSED, "owner": {200}, "other": {404}, "staff": {404}},
    ),
]
CASES = [(method, path, role, codes) for method, path, expected in ROWS for role, codes in expected.items()]


@pytest.mark.parametrize(("method", "path", "role", "codes"), CASES, ids=[f"{c[0]} {c[1]} as {c[2]}" for c in CASES])
def test_personal_endpoints_answer_each_role(client, people, records, method, path, role, codes):
    url = path.format(reservation=records["reservation"].pk, registration=records["registration"].pk)

    response = getattr(_as(client, people, role), method)(url, content_type="application/json")

    assert response.status_code in codes
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
    if role != "owner":
        assert Reservation.objects.get(pk=records["reservation"].pk).state == Reservation.State.RESERVED
        assert Registration.objects.get(pk=records["registration"].pk).status == records["registration"].status


def test_the_export_holds_only_the_callers_own_data(client, people, records):
    client.force_login(people["other"])
    data = client.get("/api/v1/me/data/").json()
    assert data["account"]["email"] == people["other"].email
    assert data["rental_reservations"] == [] and data["academy_registrations"] == []


@pytest.fixture
def scoring(locales):
    moderator = UserFactory(username="moderation")
    group, members = group_with_members(staff=1, ambassadors=1)
    topic = TopicFactory(slug="stadtpark", name="Stadtpark")
    evaluation_round = open_round(group=group, ideas=[IdeaFactory(topic=topic)], actor=moderator)
    return evaluation_round.assignments.get(), members, criteria_of(evaluation_round=evaluation_round)


@pytest.mark.parametrize(
    ("role", "codes"),
    [("anonymous", ANONYMOUS_REFUSED), ("citizen", {404}), ("member", {200}), ("staff", {404})],
)
def test_a_scorecard_answers_only_the_groups_members(client, people, scoring, role, codes):
    assignment, members, criteria = scoring
    actors = {"citizen": people["other"], "member": members[1], "staff": people["staff"]}
    if role in actors:
        client.force_login(actors[role])
    url = f"/api/v1/ideas/scorecards/{assignment.pk}/"

    read = client.get(url)
    write = client.post(
        url, {"scores": {str(criterion.pk): 3 for criterion in criteria}}, content_type="application/json"
    )

    assert read.status_code in codes and write.status_code in codes
    assert Scorecard.objects.filter(assignment=assignment).exists() == (role == "member")

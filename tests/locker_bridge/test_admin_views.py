"""The controller status page in the Wagtail admin."""

import pytest

from django.contrib.auth.models import Group
from django.urls import reverse

from locker_bridge import services
from locker_bridge.models import Alert
from tests.factories.locker_bridge import CompartmentFactory, LockerFactory


@pytest.fixture
def rental_staff(django_user_model, staff_groups):
    user = django_user_model.objects.create_user(username="verleih", email="verleih@example.org", password="x")
    user.groups.add(Group.objects.get(name="Verleih"))
    return user


def test_status_page_shows_controllers_alerts_and_commands(client, rental_staff, locker, compartment):
    services.alert_raise(locker=locker, kind=Alert.Kind.OFFLINE, dedup_key="x", message="Stadtpark Test ist weg")
    services.compartment_open(compartment=compartment, reason="Test", reference="admin-1")
    client.force_login(rental_staff)
    response = client.get(reverse("locker_bridge_admin:status"))
    assert response.status_code == 200
    assert "Stadtpark Test ist weg" in response.text
    assert "Fach öffnen" in response.text


def test_status_page_shows_each_answered_command_with_its_round_trip_time(
    client, rental_staff, compartment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        command = services.compartment_open(compartment=compartment, reason="Test", reference="admin-rtt")
    command.refresh_from_db()
    assert command.round_trip_ms is not None
    client.force_login(rental_staff)
    response = client.get(reverse("locker_bridge_admin:status"))
    assert f"{command.round_trip_ms} ms" in response.text


def test_status_page_query_budget_holds_with_more_controllers(client, rental_staff, django_assert_max_num_queries):
    for _ in range(5):
        locker = LockerFactory()
        for number in range(1, 7):
            CompartmentFactory(locker=locker, number=number)
    client.force_login(rental_staff)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("locker_bridge_admin:status")).status_code == 200


def test_staff_acknowledge_an_alert(client, rental_staff, locker):
    alert = services.alert_raise(locker=locker, kind=Alert.Kind.OFFLINE, dedup_key="y", message="weg")
    client.force_login(rental_staff)
    response = client.post(reverse("locker_bridge_admin:alert_acknowledge", args=[alert.pk]))
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == rental_staff
    again = services.alert_raise(locker=locker, kind=Alert.Kind.OFFLINE, dedup_key="y", message="wieder weg")
    assert again.pk != alert.pk


def test_citizens_cannot_see_the_status_page(client, django_user_model, home):
    user = django_user_model.objects.create_user(username="buerger", email="b@example.org", password="x")
    client.force_login(user)
    assert client.get(reverse("locker_bridge_admin:status")).status_code in {302, 403}


def test_door_state_is_shown(client, rental_staff, compartment):
    services.simulator_door_open(compartment=compartment)
    client.force_login(rental_staff)
    response = client.get(reverse("locker_bridge_admin:status"))
    assert "<td>offen" in response.text


def test_the_controllers_english_reasons_read_german_for_staff(client, rental_staff, compartment):
    from locker_bridge.models import Command
    from locker_bridge.services.commands import command_transition

    command = services.compartment_open(compartment=compartment, reason="Test", reference="admin-reason")
    command_transition(command=command, to=Command.State.EXPIRED, reason="no acknowledgement in time")
    client.force_login(rental_staff)
    page = client.get(reverse("locker_bridge_admin:status")).text
    assert "keine Antwort der Anlage in der Zeit" in page
    assert "no acknowledgement in time" not in page


def test_an_unknown_reason_is_shown_as_it_is():
    from locker_bridge.reasons import reason_display

    assert reason_display("invalid command: compartment is not an integer") == (
        "ungültiger Befehl (compartment is not an integer)"
    )
    assert reason_display("Wartung am Schloss") == "Wartung am Schloss"

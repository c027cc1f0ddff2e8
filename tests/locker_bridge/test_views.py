"""The Schließfach-Simulator page: routed in dev and test settings, drives the simulated driver."""

import importlib

import pytest

from django.urls import NoReverseMatch, clear_url_caches, reverse

from locker_bridge.models import Compartment


def test_simulator_page_lists_the_compartments(client, locker):
    response = client.get(reverse("locker_bridge:simulator"))
    assert response.status_code == 200
    assert "Schließfach-Simulator" in response.text
    assert "Fach 4 mit Serviceschlüssel öffnen" in response.text


def test_open_and_close_a_door_with_an_item(client, locker, compartment):
    url = reverse("locker_bridge:simulator_action")
    client.post(url, {"action": "door_open", "compartment": compartment.pk})
    compartment.refresh_from_db()
    assert compartment.door_state == Compartment.Door.OPEN
    response = client.post(url, {"action": "door_close", "compartment": compartment.pk, "occupied": "1"}, follow=True)
    compartment.refresh_from_db()
    assert compartment.door_state == Compartment.Door.CLOSED and compartment.is_occupied
    assert "Gegenstand im Fach" in response.text


def test_wrong_pin_tells_what_to_do(client, locker):
    response = client.post(
        reverse("locker_bridge:simulator_action"), {"action": "keypad", "locker": locker.pk, "pin": "0000"}, follow=True
    )
    assert "Bitte prüfen Sie die Ziffern" in response.text


def test_simulator_page_is_not_routed_without_the_setting(settings):
    import cms.urls
    import locker_bridge.urls

    settings.LOCKER_SIMULATOR_PAGE = False
    try:
        importlib.reload(locker_bridge.urls)
        importlib.reload(cms.urls)
        clear_url_caches()
        with pytest.raises(NoReverseMatch):
            reverse("locker_bridge:simulator")
    finally:
        settings.LOCKER_SIMULATOR_PAGE = True
        importlib.reload(locker_bridge.urls)
        importlib.reload(cms.urls)
        clear_url_caches()

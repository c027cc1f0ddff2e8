"""Ingestion: only correctly signed messages count, and each event counts once."""

from datetime import timedelta

import pytest

from django.utils import timezone

from locker_bridge import protocol
from locker_bridge.controller import Controller, state_new
from locker_bridge.drivers.mqtt import BrokerAddress
from locker_bridge.models import Compartment, Event
from locker_bridge.services.ingestion import message_receive


def test_forged_door_event_is_dropped(locker, compartment, received):
    forger = Controller(controller_id=locker.controller_id, key="stolen-broker-password", state=state_new(4))
    ((channel, message),) = forger.door_close(1, occupied=True)
    message_receive(locker=locker, channel=channel, payload=protocol.encode(message))
    assert not Event.objects.exists()
    assert received == []


def test_event_for_another_controller_on_this_topic_is_dropped(locker, compartment):
    other = Controller(controller_id="somewhere-else", key=locker.secret_key, state=state_new(4))
    ((channel, message),) = other.door_close(1, occupied=True)
    message_receive(locker=locker, channel=channel, payload=protocol.encode(message))
    assert not Event.objects.exists()


def test_redelivered_event_is_stored_and_signalled_once(locker, compartment, received):
    device = Controller(controller_id=locker.controller_id, key=locker.secret_key, state=state_new(4))
    ((channel, message),) = device.door_close(1, occupied=True)
    for _ in range(3):
        message_receive(locker=locker, channel=channel, payload=protocol.encode(message))
    assert Event.objects.count() == 1
    assert [name for name, _ in received] == ["compartment_door_closed"]


def test_an_older_event_arriving_late_does_not_undo_a_newer_one(locker, compartment):
    moments = iter([timezone.now() - timedelta(seconds=20), timezone.now() - timedelta(seconds=10)])
    device = Controller(
        controller_id=locker.controller_id, key=locker.secret_key, state=state_new(4), clock=lambda: next(moments)
    )
    ((_, opened),) = device.door_open(1)
    ((_, closed),) = device.door_close(1, occupied=False)
    message_receive(locker=locker, channel="event", payload=protocol.encode(closed))
    message_receive(locker=locker, channel="event", payload=protocol.encode(opened))
    compartment.refresh_from_db()
    assert compartment.door_state == Compartment.Door.CLOSED


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mqtt://127.0.0.1", BrokerAddress("127.0.0.1", 1883, False, "", "")),
        ("mqtts://bridge:s%40cret@broker.example", BrokerAddress("broker.example", 8883, True, "bridge", "s@cret")),
        ("mqtts://broker.example:9883", BrokerAddress("broker.example", 9883, True, "", "")),
    ],
)
def test_broker_url_gives_tls_and_credentials(url, expected):
    assert BrokerAddress.parse(url) == expected


def test_broker_url_must_be_mqtt():
    with pytest.raises(ValueError, match="mqtt://"):
        BrokerAddress.parse("http://broker")


def test_mqtts_verifies_the_broker_and_presents_the_client_certificate(tmp_path):
    import ssl

    from locker_bridge.drivers.mqtt import TlsFiles, client_new
    from tests.notifications.push_service import self_signed_certificate

    cert, key = self_signed_certificate(str(tmp_path))
    client, address = client_new(
        url="mqtts://broker.example", client_id="t", tls=TlsFiles(ca_file=cert, cert_file=cert, key_file=key)
    )
    assert address.port == 8883
    context = client._ssl_context
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


def test_controller_clock_off_by_more_than_five_seconds_alerts(locker):
    from locker_bridge.models import Alert

    fast = Controller(
        controller_id=locker.controller_id,
        key=locker.secret_key,
        state=state_new(1),
        clock=lambda: timezone.now() + timedelta(seconds=30),
    )
    channel, message = fast.heartbeat()
    message_receive(locker=locker, channel=channel, payload=protocol.encode(message))
    message_receive(locker=locker, channel=channel, payload=protocol.encode(message))
    assert Alert.objects.filter(kind=Alert.Kind.CLOCK_SKEW).count() == 1
    on_time = Controller(controller_id=locker.controller_id, key=locker.secret_key, state=state_new(1))
    Alert.objects.all().delete()
    channel, message = on_time.heartbeat()
    message_receive(locker=locker, channel=channel, payload=protocol.encode(message))
    assert not Alert.objects.exists()


def test_signed_door_closed_with_occupied_as_a_string_is_dropped(locker, compartment, received):
    box = Controller(controller_id=locker.controller_id, key=locker.secret_key, state=state_new(4))
    ((channel, message),) = box.door_close(1, occupied=True)
    message = protocol.sign({**message, "occupied": "false"}, locker.secret_key)
    message_receive(locker=locker, channel=channel, payload=protocol.encode(message))
    assert not Event.objects.exists()
    assert received == []


def test_state_reports_are_requested_once_per_period_from_online_controllers(locker, settings):
    from datetime import timedelta

    from django.utils import timezone

    from locker_bridge.models import Command, Locker
    from locker_bridge.services.health import state_reports_request

    settings.LOCKER_DRIVER = "mqtt"  # the bridge's outbox publishes them
    offline = Locker.objects.create(controller_id="offline-test", location_label="Aus")
    Locker.objects.filter(pk=locker.pk).update(is_online=True)
    every, now = timedelta(minutes=5), timezone.now()
    assert state_reports_request(every=every, now=now) == 1
    state_reports_request(every=every, now=now)  # a second bridge, or a restart, in the same period
    assert Command.objects.filter(kind=Command.Kind.STATE_REPORT).count() == 1
    state_reports_request(every=every, now=now + every)
    assert Command.objects.filter(kind=Command.Kind.STATE_REPORT, locker=locker).count() == 2
    assert not Command.objects.filter(locker=offline).exists()

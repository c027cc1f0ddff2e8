"""A controller's clock is judged on heartbeats that came straight through, not on ones that waited.

After a bridge restart the broker delivers the heartbeats it queued meanwhile; they are old by the
time the bridge was away, which once raised "Die Uhr weicht um -25 s ab" for a correct clock.
"""

from datetime import timedelta

from django.utils import timezone

from locker_bridge import protocol
from locker_bridge.bridge import CLOCK_JUDGED_AFTER_CONNECT, Bridge
from locker_bridge.controller import Controller, state_new
from locker_bridge.models import Alert, Locker
from tests.locker_bridge.test_bridge_flood import mqtt_message


def _deliver_heartbeat(bridge: Bridge, locker: Locker, *, age: timedelta) -> None:
    sent_at = timezone.now() - age
    box = Controller(
        controller_id=locker.controller_id, key=locker.secret_key, state=state_new(4), clock=lambda: sent_at
    )
    _channel, heartbeat = box.heartbeat()
    topic = protocol.topic("skew", locker.controller_id, "heartbeat")
    bridge._on_message(None, None, mqtt_message(topic, protocol.encode(heartbeat)))
    assert bridge.process() == 1


def _bridge(*, connected_for: timedelta) -> Bridge:
    bridge = Bridge(url="mqtt://127.0.0.1:1", prefix="skew", client_id="skew-test")
    bridge.connected_since = timezone.now() - connected_for
    return bridge


def test_heartbeats_queued_during_a_bridge_restart_raise_no_clock_alert(locker):
    bridge = _bridge(connected_for=timedelta(seconds=1))
    _deliver_heartbeat(bridge, locker, age=timedelta(seconds=25))
    assert Locker.objects.get(pk=locker.pk).last_heartbeat_at is not None  # still counts as alive
    assert not Alert.objects.filter(kind=Alert.Kind.CLOCK_SKEW).exists()


def test_a_clock_that_is_behind_is_reported_once_heartbeats_come_straight_through(locker):
    bridge = _bridge(connected_for=CLOCK_JUDGED_AFTER_CONNECT + timedelta(seconds=5))
    _deliver_heartbeat(bridge, locker, age=timedelta(seconds=25))
    alert = Alert.objects.get(kind=Alert.Kind.CLOCK_SKEW)
    assert "-25 s" in alert.message


def test_a_clock_that_is_ahead_is_reported_even_right_after_connect(locker):
    bridge = _bridge(connected_for=timedelta(seconds=1))
    _deliver_heartbeat(bridge, locker, age=timedelta(seconds=-25))
    assert "+25 s" in Alert.objects.get(kind=Alert.Kind.CLOCK_SKEW).message

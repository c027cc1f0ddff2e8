"""The reference controller logic on its own: dedup, expiry, forged commands, PINs, switches."""

from datetime import UTC, datetime, timedelta

from locker_bridge import protocol
from locker_bridge.bridge import Backoff
from locker_bridge.controller import Controller, state_new

KEY = "secret"
A, B, C = (f"00000000-0000-4000-8000-00000000000{letter}" for letter in "abc")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self):
        return self.now


def controller(clock=None):
    return Controller(controller_id="c1", key=KEY, state=state_new(3), clock=clock or Clock())


def open_command(command_id=A, *, key=KEY, expires=NOW + timedelta(seconds=30), **extra):
    message = {
        "v": protocol.VERSION,
        "type": "open",
        "command_id": command_id,
        "controller": "c1",
        "compartment": 2,
        "issued_at": protocol.timestamp(NOW),
        "expires_at": protocol.timestamp(expires),
        **extra,
    }
    return protocol.encode(protocol.sign(message, key))


def results(outgoing):
    return [message["result"] for channel, message in outgoing if channel == "ack"]


def opened(outgoing):
    return [message for channel, message in outgoing if channel == "event" and message["type"] == "door_opened"]


def test_a_command_delivered_twice_opens_once():
    logic = controller()
    first, second = logic.handle_command(open_command()), logic.handle_command(open_command())
    assert results(first) == ["opened"] and len(opened(first)) == 1
    assert results(second) == ["duplicate"] and opened(second) == []
    assert second[0][1]["original_result"] == "opened"


def test_an_expired_command_never_opens():
    clock = Clock()
    logic = controller(clock)
    clock.now = NOW + timedelta(seconds=31)
    outgoing = logic.handle_command(open_command())
    assert results(outgoing) == ["expired"] and opened(outgoing) == []


def test_a_forged_command_gets_no_ack_and_raises_tamper():
    outgoing = controller().handle_command(open_command(key="guess"))
    assert results(outgoing) == []
    assert outgoing[0][1]["type"] == "tamper"


def test_remembered_ids_are_forgotten_only_after_expiry():
    clock = Clock()
    logic = controller(clock)
    logic.handle_command(open_command(A))
    clock.now = NOW + timedelta(seconds=29)
    logic.handle_command(open_command(B, expires=NOW + timedelta(seconds=60)))
    assert set(logic.state["seen"]) == {A, B}
    clock.now = NOW + timedelta(seconds=45)
    logic.handle_command(open_command(C, expires=NOW + timedelta(seconds=90)))
    assert set(logic.state["seen"]) == {B, C}
    # "a" replayed now: refused as expired, not executed.
    assert results(logic.handle_command(open_command(A))) == ["expired"]


def test_pin_checks_its_window_locally():
    clock = Clock()
    logic = controller(clock)
    provision = {
        "v": protocol.VERSION,
        "type": "pin_provision",
        "command_id": "00000000-0000-4000-8000-0000000000ff",
        "controller": "c1",
        "compartment": 3,
        "pin_id": "p",
        "pin_hash": protocol.pin_hash("2468", KEY),
        "valid_from": protocol.timestamp(NOW + timedelta(minutes=5)),
        "valid_until": protocol.timestamp(NOW + timedelta(hours=1)),
        "issued_at": protocol.timestamp(NOW),
        "expires_at": protocol.timestamp(NOW + timedelta(seconds=30)),
    }
    assert results(logic.handle_command(protocol.encode(protocol.sign(provision, KEY)))) == ["applied"]
    assert logic.keypad_enter("2468")[0] is None
    clock.now = NOW + timedelta(minutes=10)
    assert logic.keypad_enter("2468")[0] == 3
    assert logic.keypad_enter("1357")[0] is None


def test_dropped_and_delayed_acks():
    logic = controller()
    logic.state["switches"]["drop_acks"] = True
    assert results(logic.handle_command(open_command("00000000-0000-4000-8000-0000000000e1"))) == []
    logic.state["switches"].update(drop_acks=False, delay_acks=True)
    assert results(logic.handle_command(open_command("00000000-0000-4000-8000-0000000000e2"))) == []
    assert results(logic.release_delayed()) == ["opened"]


def test_jammed_latch_fails():
    logic = controller()
    logic.jam(2)
    outgoing = logic.handle_command(open_command())
    assert results(outgoing) == ["failed"] and opened(outgoing) == []


def test_reconnect_backoff_doubles_up_to_the_maximum_and_resets():
    now = [0.0]
    backoff = Backoff(first=1, maximum=8, clock=lambda: now[0])
    delays = []
    for _ in range(5):
        delays.append(backoff.delay)
        backoff.failed()
    assert delays == [1, 2, 4, 8, 8]
    assert not backoff.due()
    now[0] = 100
    assert backoff.due()
    backoff.reset()
    assert backoff.delay == 1


def test_a_new_key_keeps_pins_provisioned_under_the_old_one_working_until_they_expire():
    clock = Clock()
    logic = controller(clock)
    provision = {
        "v": protocol.VERSION,
        "type": "pin_provision",
        "command_id": "00000000-0000-4000-8000-0000000000ff",
        "controller": "c1",
        "compartment": 2,
        "pin_id": "p",
        "pin_hash": protocol.pin_hash("246810", KEY),
        "valid_from": protocol.timestamp(NOW),
        "valid_until": protocol.timestamp(NOW + timedelta(hours=1)),
        "issued_at": protocol.timestamp(NOW),
        "expires_at": protocol.timestamp(NOW + timedelta(seconds=30)),
    }
    assert results(logic.handle_command(protocol.encode(protocol.sign(provision, KEY)))) == ["applied"]
    rotated = Controller(controller_id="c1", key="new-secret", state=logic.state, clock=clock)
    assert rotated.keypad_enter("246810")[0] == 2
    assert results(rotated.handle_command(open_command(B))) == []  # commands under the old key: refused
    clock.now = NOW + timedelta(hours=2)
    rotated.keypad_enter("000000")
    assert rotated.state["retired_keys"] == []  # forgotten once its last PIN expired


def test_killer_payloads_neither_crash_nor_hang_the_controller():
    box = controller()
    for payload in (b"[" * 200_000, b'{"v":2,"x":' + b"9" * 5000 + b"}", b'{"v":2,"x":"\\ud800"}'):
        outgoing = box.handle_command(payload)
        assert [message["type"] for channel, message in outgoing] == ["tamper"]
        for channel, message in outgoing:
            assert protocol.schema_errors(channel, message) == []


def test_a_signed_command_that_breaks_its_schema_is_acknowledged_as_rejected():
    box = controller()
    outgoing = box.handle_command(open_command(compartment="2"))
    assert results(outgoing) == ["rejected"]
    assert box.state["compartments"]["2"]["door"] == "closed"


def provisioned(clock, pin="2468"):
    logic = controller(clock)
    provision = {
        "v": protocol.VERSION,
        "type": "pin_provision",
        "command_id": "00000000-0000-4000-8000-0000000000aa",
        "controller": "c1",
        "compartment": 3,
        "pin_id": "p",
        "pin_hash": protocol.pin_hash(pin, KEY),
        "valid_from": protocol.timestamp(NOW),
        "valid_until": protocol.timestamp(NOW + timedelta(hours=3)),
        "issued_at": protocol.timestamp(NOW),
        "expires_at": protocol.timestamp(NOW + timedelta(seconds=30)),
    }
    assert results(logic.handle_command(protocol.encode(protocol.sign(provision, KEY)))) == ["applied"]
    return logic


def wrong_pins(logic, clock, count):
    events = []
    for _ in range(count):
        clock.now += timedelta(milliseconds=250)  # 4 per second, as in the attack
        events += [message["type"] for channel, message in logic.keypad_enter("0000")[1]]
    return events


def test_five_wrong_pins_lock_the_keypad_for_a_growing_time():
    clock = Clock()
    logic = provisioned(clock)
    events = wrong_pins(logic, clock, 400)  # 100 s of guessing: only 10 PINs are checked at all
    assert events.count("pin_wrong") == 10 and events.count("keypad_locked") == 2
    assert logic.keypad_enter("2468") == (None, [])  # the right PIN, during the lockout: nothing is checked
    for expected in (timedelta(minutes=10), timedelta(minutes=10)):  # 30 s and 2 min came first; 10 min is the cap
        clock.now = protocol.parse_timestamp(logic.state["keypad"]["locked_until"]) + timedelta(seconds=1)
        assert wrong_pins(logic, clock, 5)[-1] == "keypad_locked"
        assert protocol.parse_timestamp(logic.state["keypad"]["locked_until"]) - clock.now == expected
    clock.now = protocol.parse_timestamp(logic.state["keypad"]["locked_until"]) + timedelta(seconds=1)
    assert logic.keypad_enter("2468")[0] == 3
    assert logic.state["keypad"]["lockouts"] == 0


def test_the_lockout_event_matches_its_schema():
    clock = Clock()
    logic = provisioned(clock)
    wrong_pins(logic, clock, 4)
    _number, outgoing = logic.keypad_enter("0000")
    locked = [message for channel, message in outgoing if message["type"] == "keypad_locked"]
    assert locked and protocol.schema_errors("event", locked[0]) == []
    assert locked[0]["failures"] == 5

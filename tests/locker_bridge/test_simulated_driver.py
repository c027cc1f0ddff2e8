"""The command lifecycle and health logic against the simulated driver (no broker needed)."""

from datetime import timedelta

import pytest
import time_machine

from django.utils import timezone

from locker_bridge import selectors, services
from locker_bridge.drivers.simulated import simulation_lock
from locker_bridge.models import Alert, Command, Event, Locker
from locker_bridge.services.simulator import simulator_heartbeats


@pytest.fixture
def run_commits(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = function(**kwargs)
        result.refresh_from_db()
        return result

    return run


def test_revoked_pin_no_longer_opens(locker, compartment, run_commits):
    now = timezone.now()
    run_commits(
        services.pin_provision,
        compartment=compartment,
        pin="1111",
        valid_from=now,
        valid_until=now + timedelta(hours=1),
        reference="p1",
    )
    revoke = run_commits(services.pin_revoke, compartment=compartment, reference="r1")
    assert revoke.state == Command.State.APPLIED
    assert services.simulator_keypad_enter(locker=locker, pin="1111") is None
    assert Event.objects.filter(kind=Event.Kind.PIN_WRONG).count() == 1


def test_pin_outside_its_window_does_not_open(locker, compartment, run_commits):
    now = timezone.now()
    run_commits(
        services.pin_provision,
        compartment=compartment,
        pin="2222",
        valid_from=now + timedelta(hours=1),
        valid_until=now + timedelta(hours=2),
        reference="p2",
    )
    assert services.simulator_keypad_enter(locker=locker, pin="2222") is None


def test_same_pin_on_two_compartments_is_refused(locker, run_commits):
    first, second = locker.compartments.all()[:2]
    now = timezone.now()
    run_commits(
        services.pin_provision,
        compartment=first,
        pin="3333",
        valid_from=now,
        valid_until=now + timedelta(hours=1),
        reference="p3",
    )
    with pytest.raises(services.PinInUse):
        services.pin_provision(
            compartment=second, pin="3333", valid_from=now, valid_until=now + timedelta(hours=1), reference="p4"
        )


def test_controller_offline_past_expiry_opens_nothing(locker, compartment, received, run_commits):
    services.simulator_offline_set(locker=locker, offline=True)
    locker.refresh_from_db()
    assert not locker.is_online
    assert not selectors.compartment_is_usable(compartment=compartment)
    command = run_commits(
        services.compartment_open, compartment=compartment, reason="Test", reference="o1", requested_by=None
    )
    assert command.state == Command.State.SENT
    with time_machine.travel(timezone.now() + timedelta(seconds=40), tick=False):
        assert services.commands_expire_overdue() == 1
        services.simulator_offline_set(locker=locker, offline=False)
    command.refresh_from_db()
    compartment.refresh_from_db()
    assert command.state == Command.State.EXPIRED
    assert compartment.door_state == "closed"
    assert not any(name == "compartment_door_opened" for name, _ in received)
    assert [name for name, _ in received].count("command_finished") == 1
    assert selectors.compartment_is_usable(compartment=compartment)


def test_lost_ack_expires_command_and_late_ack_changes_nothing(locker, compartment, run_commits):
    services.simulator_acks_set(locker=locker, delay=True)
    command = run_commits(
        services.compartment_open, compartment=compartment, reason="Test", reference="o2", requested_by=None
    )
    assert command.state == Command.State.SENT
    with time_machine.travel(timezone.now() + timedelta(seconds=40), tick=False):
        services.commands_expire_overdue()
    services.simulator_acks_release(locker=locker)
    command.refresh_from_db()
    assert command.state == Command.State.EXPIRED
    assert Alert.objects.filter(kind=Alert.Kind.LATE_OPEN).count() == 1


def test_resend_is_deduplicated_by_the_controller(locker, compartment, received, run_commits):
    command = run_commits(
        services.compartment_open, compartment=compartment, reason="Test", reference="o3", requested_by=None
    )
    Command.objects.filter(pk=command.pk).update(state=Command.State.SENT)
    services.command_publish(command=command)
    command.refresh_from_db()
    assert command.state == Command.State.OPENED
    assert [name for name, _ in received].count("compartment_door_opened") == 1


def test_jammed_door_fails_and_alerts(locker, compartment, run_commits):
    services.simulator_jam(compartment=compartment, jammed=True)
    command = run_commits(
        services.compartment_open, compartment=compartment, reason="Test", reference="o4", requested_by=None
    )
    assert command.state == Command.State.FAILED
    assert Alert.objects.filter(kind=Alert.Kind.COMMAND_FAILED).exists()


def test_missed_heartbeats_mark_offline_and_reconnect_reconciles(
    locker, compartment, received, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now() + timedelta(seconds=95), tick=False):
        services.controllers_check_health()
    locker.refresh_from_db()
    compartment.refresh_from_db()
    assert not locker.is_online and compartment.state_unknown
    assert Alert.objects.filter(kind=Alert.Kind.OFFLINE).count() == 1
    simulation = simulation_lock(locker)
    simulation.state["compartments"]["1"]["occupied"] = True  # an item was put in while nobody listened
    simulation.save()

    with django_capture_on_commit_callbacks(execute=True):
        simulator_heartbeats()
    locker.refresh_from_db()
    compartment.refresh_from_db()
    assert locker.is_online
    assert compartment.is_occupied and not compartment.state_unknown
    assert Alert.objects.filter(kind=Alert.Kind.STATE_MISMATCH, compartment=compartment).count() == 1
    names = [name for name, _ in received]
    assert names.index("controller_went_offline") < names.index("controller_came_online")


def test_door_left_open_raises_one_alert(locker, compartment):
    services.simulator_door_open(compartment=compartment)
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=False):
        services.controllers_check_health()
        services.controllers_check_health()
    assert Alert.objects.filter(kind=Alert.Kind.DOOR_LEFT_OPEN).count() == 1


def test_periodic_schedule_exists_once_after_migrate_and_seed(home):
    from django_q.models import Schedule

    from locker_bridge import demo

    periodic = Schedule.objects.filter(func="locker_bridge.tasks.locker_periodic_task")
    assert periodic.count() == 1
    demo.seed(home=home)
    demo.seed(home=home)
    assert periodic.count() == 1 and periodic.get().minutes == 1
    locker = Locker.objects.get(controller_id="stadtpark-norderstedt")
    assert locker.location_label == "Stadtpark Norderstedt" and locker.compartments.count() == 12


def test_periodic_task_is_idempotent(locker, compartment, django_capture_on_commit_callbacks):
    from locker_bridge.tasks import locker_periodic_task

    with django_capture_on_commit_callbacks(execute=True):
        locker_periodic_task()
        locker_periodic_task()
    locker.refresh_from_db()
    assert locker.is_online
    assert not Alert.objects.exists()


def test_new_alert_is_mailed_to_staff_once(locker, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.LOCKER_ALERT_EMAILS = ["verleih@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        services.simulator_offline_set(locker=locker, offline=True)
        services.alert_raise(locker=locker, kind=Alert.Kind.OFFLINE, dedup_key=f"offline:{locker.pk}", message="x")
    ours = [mail for mail in mailoutbox if mail.subject.startswith("Schließfachanlage:")]
    assert len(ours) == 1
    assert ours[0].to == ["verleih@example.org"]
    assert "Stadtpark Test ist nicht erreichbar" in ours[0].body


def test_many_wrong_pins_alert_staff_once(locker):
    for _ in range(6):
        services.simulator_keypad_enter(locker=locker, pin="000000")
    assert Alert.objects.filter(kind=Alert.Kind.TAMPER).count() == 1


def test_history_older_than_the_retention_is_pruned(locker, compartment, run_commits):
    from locker_bridge.services.setup import history_prune

    now = timezone.now()
    run_commits(services.compartment_open, compartment=compartment, reason="Test", reference="old", requested_by=None)
    pin = run_commits(
        services.pin_provision,
        compartment=compartment,
        pin="8642",
        valid_from=now,
        valid_until=now + timedelta(days=400),
        reference="long-pin",
    )
    assert Event.objects.exists()
    assert history_prune(now=now + timedelta(days=10)) == 0
    history_prune(now=now + timedelta(days=200))
    assert not Event.objects.exists()
    assert list(Command.objects.values_list("reference", flat=True)) == [pin.reference]


def test_demo_compartments_start_occupied_and_the_simulation_agrees(home, django_capture_on_commit_callbacks):
    from locker_bridge import demo

    locker = demo.seed(home=home)
    assert locker.compartments.filter(is_occupied=True).count() == 12
    with django_capture_on_commit_callbacks(execute=True):
        services.simulator_offline_set(locker=locker, offline=True)
        services.simulator_offline_set(locker=locker, offline=False)
    assert not Alert.objects.filter(kind=Alert.Kind.STATE_MISMATCH).exists()
    compartment = locker.compartments.get(number=7)
    services.simulator_door_open(compartment=compartment)
    services.simulator_door_close(compartment=compartment, occupied=False)
    demo.seed(home=home)
    compartment.refresh_from_db()
    assert not compartment.is_occupied


def test_keypad_lockout_reaches_the_bridge_and_alerts_staff(locker, compartment, run_commits):
    now = timezone.now()
    run_commits(
        services.pin_provision,
        compartment=compartment,
        pin="864209",
        valid_from=now,
        valid_until=now + timedelta(hours=2),
        reference="lockout",
    )
    for _ in range(5):
        services.simulator_keypad_enter(locker=locker, pin="000000")
    assert Event.objects.filter(kind=Event.Kind.KEYPAD_LOCKED).count() == 1
    alert = Alert.objects.get(kind=Alert.Kind.KEYPAD_LOCKED)
    assert "5 falschen PINs" in alert.message
    assert services.simulator_keypad_enter(locker=locker, pin="864209") is None
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):
        assert services.simulator_keypad_enter(locker=locker, pin="864209") == 1


def test_a_state_report_stands_in_for_a_lost_door_closed_and_a_matching_one_sends_nothing(
    locker, compartment, received, run_commits, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from locker_bridge.drivers.simulated import controller_of

    with transaction.atomic():
        simulation = simulation_lock(locker)
        controller_of(simulation).door_close(compartment.number, occupied=True)  # its event never arrives
        simulation.save(update_fields=["state"])
    run_commits(services.state_report_request, locker=locker, reference="state-report-periodic-1")
    # The report is ahead of the event; after the grace the health check asks again and acts.
    assert not [name for name, _kwargs in received if name == "compartment_door_closed"]
    with (
        time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.controllers_check_health()
    closed = [kwargs for name, kwargs in received if name == "compartment_door_closed"]
    assert len(closed) == 1
    assert closed[0]["compartment"] == compartment and closed[0]["occupied"] is True
    assert Alert.objects.filter(kind=Alert.Kind.STATE_MISMATCH, compartment=compartment).exists()
    run_commits(services.state_report_request, locker=locker, reference="state-report-periodic-2")
    assert len([name for name, _kwargs in received if name == "compartment_door_closed"]) == 1

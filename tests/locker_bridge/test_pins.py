"""The PINs' desired state converged onto the (simulated) controller: services/pins.py."""

from datetime import timedelta

import pytest
import time_machine

from django.utils import timezone

from locker_bridge import services
from locker_bridge.drivers.simulated import simulation_lock
from locker_bridge.models import Alert, Command, Pin
from locker_bridge.services.pins import pins_reconcile, pins_reported, retry_delay
from locker_bridge.tasks import locker_periodic_task


@pytest.fixture
def run_commits(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def provision(compartment, *, pin="482910", reference="pins-1", hours=4):
    now = timezone.now()
    return services.pin_provision(
        compartment=compartment,
        pin=pin,
        valid_from=now - timedelta(minutes=1),
        valid_until=now + timedelta(hours=hours),
        reference=reference,
    )


def held_pins(locker) -> set[str]:
    return set(simulation_lock(locker).state["pins"])


def test_provision_queued_before_any_worker_ran_arrives_by_the_periodic_job(locker, compartment, run_commits):
    # seed_demo: the command is written, its publish task never runs, and it expires unsent.
    command = provision(compartment)
    with time_machine.travel(command.expires_at + timedelta(seconds=10), tick=False):
        services.commands_expire_overdue()
        command.refresh_from_db()
        assert command.state == Command.State.EXPIRED and command.attempts == 0
        run_commits(locker_periodic_task)
    pin = Pin.objects.get(provision=command)
    assert pin.applied_at is not None
    assert pin.pin_id in held_pins(locker)
    assert services.simulator_keypad_enter(locker=locker, pin="482910") == 1


def test_provision_while_controller_offline_converges_when_it_returns(locker, compartment, run_commits):
    services.simulator_offline_set(locker=locker, offline=True)
    command = run_commits(provision, compartment=compartment)
    with time_machine.travel(command.expires_at + timedelta(seconds=10), tick=False):
        run_commits(locker_periodic_task)
        assert Pin.objects.get(provision=command).applied_at is None
        run_commits(services.simulator_offline_set, locker=locker, offline=False)
    assert Pin.objects.get(provision=command).applied_at is not None
    assert services.simulator_keypad_enter(locker=locker, pin="482910") == 1


def test_revoke_while_controller_offline_removes_the_pin_when_it_returns(locker, compartment, run_commits):
    command = run_commits(provision, compartment=compartment)
    services.simulator_offline_set(locker=locker, offline=True)
    run_commits(services.pin_revoke, compartment=compartment, reference="pins-revoke", provision_reference="pins-1")
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        run_commits(locker_periodic_task)
        assert Alert.objects.filter(kind=Alert.Kind.REVOKE_UNCONFIRMED, compartment=compartment).exists()
        run_commits(services.simulator_offline_set, locker=locker, offline=False)
        assert services.simulator_keypad_enter(locker=locker, pin="482910") is None
    assert Pin.objects.get(provision=command).removed_at is not None


def test_state_report_missing_a_confirmed_pin_sends_it_again(locker, compartment, run_commits):
    command = run_commits(provision, compartment=compartment)
    pin = Pin.objects.get(provision=command)
    assert pin.applied_at is not None
    with time_machine.travel(timezone.now() + timedelta(seconds=1), tick=False):
        # The controller lost its storage: the report lists no PIN.
        simulation = simulation_lock(locker)
        simulation.state["pins"] = {}
        simulation.save()
        pins_reported(locker=locker, pin_ids=[], at=timezone.now())
        assert Pin.objects.get(pk=pin.pk).applied_at is None
        assert run_commits(pins_reconcile) == 1
    assert pin.pin_id in held_pins(locker)
    assert Pin.objects.get(pk=pin.pk).applied_at is not None


def test_state_report_still_listing_a_revoked_pin_revokes_it_again(locker, compartment, run_commits):
    command = run_commits(provision, compartment=compartment)
    simulation_before = dict(simulation_lock(locker).state["pins"])
    run_commits(services.pin_revoke, compartment=compartment, reference="pins-revoke", provision_reference="pins-1")
    pin = Pin.objects.get(provision=command)
    assert pin.removed_at is not None
    # The revoke was applied, then the controller restored an old backup.
    simulation = simulation_lock(locker)
    simulation.state["pins"] = simulation_before
    simulation.save()
    report_at = timezone.now() + timedelta(seconds=1)
    pins_reported(locker=locker, pin_ids=list(simulation_before), at=report_at)
    assert Pin.objects.get(pk=pin.pk).removed_at is None
    with time_machine.travel(report_at, tick=False):
        assert run_commits(pins_reconcile) == 1
    assert held_pins(locker) == set()


def test_unconfirmed_pins_are_retried_with_backoff_not_every_second(locker, compartment, run_commits):
    services.simulator_acks_set(locker=locker, drop=True)
    command = run_commits(provision, compartment=compartment)
    start = command.expires_at + timedelta(seconds=3)
    sent = []
    for second in range(120):
        with time_machine.travel(start + timedelta(seconds=second), tick=False):
            services.commands_expire_overdue()
            sent.append(run_commits(pins_reconcile))
    # Attempts 2.. at 30 s TTL plus 5, 10, 20, 40 s backoff: a handful, not 120.
    assert 2 <= sum(sent) <= 5
    assert retry_delay(20) == timedelta(minutes=5)


def test_provision_of_a_revoked_pin_is_never_sent(locker, compartment, run_commits):
    services.simulator_offline_set(locker=locker, offline=True)
    command = provision(compartment)  # its publish task has not run yet
    run_commits(services.pin_revoke, compartment=compartment, reference="pins-revoke", provision_reference="pins-1")
    services.command_publish(command=command)
    command.refresh_from_db()
    assert command.state == Command.State.EXPIRED
    assert simulation_lock(locker).state["inbox"][0]["type"] == "pin_revoke"
    assert len(simulation_lock(locker).state["inbox"]) == 1


def test_staff_resend_sends_at_once_despite_backoff(locker, compartment, run_commits):
    services.simulator_acks_set(locker=locker, drop=True)
    command = run_commits(provision, compartment=compartment)
    services.simulator_acks_set(locker=locker, drop=False)
    pin = Pin.objects.get(provision=command)
    resent = run_commits(services.pin_resend, reference="pins-1")
    resent.refresh_from_db()
    assert resent.state == Command.State.APPLIED
    assert Pin.objects.get(pk=pin.pk).applied_at is not None


def test_pin_state_is_pending_until_the_controller_confirms(locker, compartment, run_commits):
    from locker_bridge.selectors import pin_state

    services.simulator_offline_set(locker=locker, offline=True)
    run_commits(provision, compartment=compartment)
    assert pin_state(reference="pins-1") == "pending"
    run_commits(services.simulator_offline_set, locker=locker, offline=False)
    assert pin_state(reference="pins-1") == "confirmed"
    assert pin_state(reference="unknown") == "none"


def test_staff_resend_of_a_confirmed_pin_sends_nothing(locker, compartment, run_commits):
    run_commits(provision, compartment=compartment)
    assert services.pin_resend(reference="pins-1") is None

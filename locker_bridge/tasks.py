"""Tasks of the locker bridge: thin functions that take ids and call one service."""

from django_q.tasks import async_task

from django.conf import settings

from locker_bridge.models import Alert, Command
from locker_bridge.services import command_publish, commands_expire_overdue, controllers_check_health
from locker_bridge.services.health import alert_mail
from locker_bridge.services.pins import pins_reconcile
from locker_bridge.services.setup import history_prune
from locker_bridge.services.simulator import simulator_heartbeats


def command_publish_task(command_pk: int) -> None:
    command = Command.objects.filter(pk=command_pk).first()
    if command is not None:
        command_publish(command=command)


def enqueue_command_publish(*, command_pk: int) -> None:
    async_task("locker_bridge.tasks.command_publish_task", command_pk, task_name=f"locker-command-{command_pk}")


def locker_periodic_task() -> None:
    """Every minute (``cms.schedules``): simulated heartbeats, health check, reaper, PIN reconciliation, clean-up.

    Idempotent: running it twice in a row changes nothing the second time.
    """
    if settings.LOCKER_DRIVER == "simulated":
        simulator_heartbeats()
    controllers_check_health()
    commands_expire_overdue()
    pins_reconcile()
    history_prune()


def alert_mail_task(alert_pk: int) -> None:
    alert = Alert.objects.filter(pk=alert_pk).select_related("locker").first()
    if alert is not None:
        alert_mail(alert=alert)


def enqueue_alert_mail(*, alert_pk: int) -> None:
    async_task("locker_bridge.tasks.alert_mail_task", alert_pk, task_name=f"locker-alert-{alert_pk}")

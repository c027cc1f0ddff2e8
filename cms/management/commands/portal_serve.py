"""Run the web server and a django-q2 worker together, as ``make run`` does.

Each child runs in its own process group. Ctrl-C (or SIGTERM) reaches only this
process, which then stops every group and waits, so no worker is left behind.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

STOP_GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Start the web server and the task worker; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host, port, **options):
        manage = [sys.executable, "manage.py"]
        commands = {
            "web": [*manage, "runserver", f"{host}:{port}"],
            "worker": [*manage, "qcluster"],
        }
        if settings.LOCKER_DRIVER == "mqtt" and settings.MQTT_URL:
            commands["locker-bridge"] = [*manage, "locker_bridge"]
        children = {name: subprocess.Popen(command, start_new_session=True) for name, command in commands.items()}
        self.stdout.write(
            self.style.SUCCESS(
                f"Norderstedt GO! läuft: http://{host}:{port}/  ·  Verwaltung: http://{host}:{port}/admin/"
            )
        )
        self.stdout.write("Beenden mit Strg+C.")
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                exited = [name for name, child in children.items() if child.poll() is not None]
                if exited:
                    self.stderr.write(f"{', '.join(exited)} stopped; shutting down the rest.")
                    break
                time.sleep(0.5)
        finally:
            self._stop_all(children)

    def _stop_all(self, children: dict[str, subprocess.Popen]) -> None:
        """SIGTERM every process group, wait until each group is empty, SIGKILL stragglers.

        Waiting for the group, not only its leader, matters: qcluster's workers and
        runserver's autoreload child exit a moment after their parent.
        """
        for child in children.values():
            _signal_group(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(child.pid, signal.SIGKILL)
                child.wait()
        while any(_group_alive(child.pid) for child in children.values()) and time.monotonic() < deadline:
            time.sleep(0.1)
        for child in children.values():
            _signal_group(child.pid, signal.SIGKILL)
        self.stdout.write("Alle Prozesse sind beendet.")


def _signal_group(group_id: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group_id, signum)


def _group_alive(group_id: int) -> bool:
    try:
        os.killpg(group_id, 0)
    except ProcessLookupError:
        return False
    return True

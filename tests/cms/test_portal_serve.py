"""`make run`'s process manager: web server and worker start together and stop together."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="make run always uses SQLite; this test runs in the SQLite run and would repeat it unchanged here",
)
def test_ctrl_c_stops_web_server_and_worker(tmp_path):
    port = _free_port()
    # What `make run` does on a fresh machine: SQLite, the ORM broker, the simulated lockers.
    inherited = {key: value for key, value in os.environ.items() if key not in {"MQTT_URL", "REDIS_URL", "TASK_BROKER"}}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "portal_serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, "web server did not come up"
                assert process.poll() is None, process.stdout.read()
                time.sleep(0.5)
        group_ids = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
        assert len(group_ids) == 2, group_ids  # runserver and qcluster

        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
        assert process.returncode == 0, output
        assert "Alle Prozesse sind beendet." in output
        for child in group_ids:
            assert _running_in_group(child) == [], f"process group {child} still runs"

    finally:
        if process.poll() is None:
            process.kill()


def _running_in_group(group_id: str) -> list[str]:
    """Processes of a group that still run; zombies waiting for init to reap them do not count."""
    deadline = time.monotonic() + 10
    while True:
        listing = subprocess.run(["ps", "-o", "pid=,stat=", "-g", group_id], capture_output=True, text=True).stdout
        running = [line.split()[0] for line in listing.splitlines() if line.split() and "Z" not in line.split()[1]]
        if not running or time.monotonic() > deadline:
            return running
        time.sleep(0.2)

"""Round trip of open commands through Mosquitto and the controller simulator.

``python -m bench.locker_roundtrip`` (reads ``MQTT_URL``; ``BENCH_COMMANDS``
defaults to 500). Each command is measured from the ``compartment_open`` call
to the acknowledgement committed in the database by the bridge. The publish
task runs inline (django-q ``sync``), so the figure is the bridge's round trip
without the task queue's polling delay (docs/locker_bridge.md, "Scaling").
It uses a throw-away SQLite database. The last line is one JSON object:
``commands``, ``p50_ms``, ``p95_ms``, ``lost`` and ``duplicates_opened``.
"""

import json
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

TIMEOUT_SECONDS = 10.0


def _setup(database: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    logging.getLogger("django-q").setLevel(logging.WARNING)
    logging.getLogger("locker_bridge").setLevel(logging.WARNING)


def main() -> int:
    url = os.environ.get("MQTT_URL", "")
    if not url:
        print(json.dumps({"skipped": "set MQTT_URL=mqtt://127.0.0.1:1883"}))  # noqa: T201
        return 0
    count = int(os.environ.get("BENCH_COMMANDS", "500"))
    with tempfile.TemporaryDirectory() as directory:
        _setup(Path(directory) / "bench.sqlite3")
        return run(url=url, count=count, state_dir=Path(directory))


def _loops_start(bridge, simulator, stop: threading.Event) -> list[threading.Thread]:
    """The bridge and the simulator each poll in a thread of their own, like two processes."""
    from django.db import connection

    def bridge_loop():
        while not stop.is_set():
            bridge.poll(timeout=0.005)
        bridge.close()
        connection.close()

    def simulator_loop():
        while not bridge.subscribed and not stop.is_set():
            time.sleep(0.01)
        while not stop.is_set():
            simulator.poll(timeout=0.005)
        simulator.close()

    threads = [threading.Thread(target=bridge_loop), threading.Thread(target=simulator_loop)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while not simulator.connected and time.monotonic() < deadline:
        time.sleep(0.01)
    return threads


def run(*, url: str, count: int, state_dir: Path) -> int:
    from django.conf import settings
    from django.db import transaction

    from locker_bridge import services, signals
    from locker_bridge.bridge import Bridge
    from locker_bridge.drivers.mqtt import publishers_close
    from locker_bridge.models import Command
    from locker_bridge.simulator import MqttSimulator

    prefix = f"bench/{uuid.uuid4().hex[:10]}"
    settings.LOCKER_DRIVER, settings.MQTT_URL, settings.LOCKER_TOPIC_PREFIX = "mqtt", url, prefix
    locker = services.locker_ensure(controller_id="bench-locker", location_label="Benchmark")
    compartments = services.compartments_ensure(locker=locker, count=12)

    finished: dict[int, threading.Event] = {}
    finished_at: dict[int, float] = {}

    def on_finished(sender, command, **kwargs):
        def mark():
            finished_at[command.pk] = time.perf_counter()
            finished.setdefault(command.pk, threading.Event()).set()

        transaction.on_commit(mark)

    signals.command_finished.connect(on_finished, weak=False)
    stop = threading.Event()
    bridge = Bridge(url=url, prefix=prefix, client_id=f"bench-bridge-{prefix}", session_expiry=60)
    simulator = MqttSimulator(
        url=url,
        prefix=prefix,
        controller_id=locker.controller_id,
        key=locker.secret_key,
        compartments=12,
        state_file=state_dir / "controller.json",
        heartbeat_seconds=5,
        session_expiry=60,
        client_id=f"bench-controller-{prefix}",
    )

    threads = _loops_start(bridge, simulator, stop)
    durations, lost = [], 0
    try:
        for number in range(count):
            compartment = compartments[number % len(compartments)]
            started = time.perf_counter()
            with transaction.atomic():
                command = services.compartment_open(
                    compartment=compartment, reason="Benchmark", reference=f"bench-{prefix}-{number}"
                )
            event = finished.setdefault(command.pk, threading.Event())
            if event.wait(TIMEOUT_SECONDS) and Command.objects.get(pk=command.pk).state == Command.State.OPENED:
                durations.append((finished_at[command.pk] - started) * 1000)
            else:
                lost += 1
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        publishers_close()
    opened = Counter(simulator.opened_by_command)
    durations.sort()
    result = {
        "commands": count,
        "p50_ms": round(statistics.median(durations), 1) if durations else None,
        "p95_ms": round(durations[int(len(durations) * 0.95) - 1], 1) if durations else None,
        "lost": lost,
        "duplicates_opened": sum(1 for times in opened.values() if times > 1),
    }
    print(json.dumps(result))  # noqa: T201
    return 0 if lost == 0 and result["duplicates_opened"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

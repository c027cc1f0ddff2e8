"""Round trip of open commands through the real path: the bridge's outbox, Mosquitto, simulator, bridge.

``MQTT_URL=mqtt://127.0.0.1:1883 [DATABASE_URL=postgres://…] [REDIS_URL=redis://…] python -m bench.locker_roundtrip``

Every command takes the path it takes in production, with each part in a
process of its own:

1. this process calls ``compartment_open`` in a transaction (the web process);
2. the commit makes the pending row part of the bridge's outbox;
3. ``manage.py locker_bridge`` polls the outbox (every 25 ms) and publishes the
   signed command at QoS 1 on its own connection (only the bridge talks to the
   broker, docs/decisions.md);
4. ``manage.py locker_simulator`` (the controller) opens the latch and acknowledges;
5. ``manage.py locker_bridge`` verifies the acknowledgement and commits it in
   its next batch.

A ``manage.py qcluster`` worker runs as in production, but is no longer on the
path: the task broker does not change the result.

Each command is measured from the ``compartment_open`` call until this
process reads the acknowledged state from the database (polled every
millisecond). Commands run one after the other, 12 compartments in turn.

- Database: a throw-away database ``<name>_locker_bench`` on the PostgreSQL
  server of ``DATABASE_URL``, or a temporary SQLite file without it. It is
  dropped afterwards.
- Task broker: ``TASK_BROKER`` if set, else Redis when ``REDIS_URL`` is set,
  else the ORM broker. The queue gets a name of its own (``Q_CLUSTER_NAME``),
  so a cluster of someone else on the same Redis never takes our tasks.
- ``BENCH_COMMANDS`` (default 500). Warm-up commands (process start,
  first connections) are not counted. The periodic schedules are removed: the
  bridge runs the reaper and health check every second anyway.

The last line is one JSON object: ``commands``, ``p50_ms``, ``p95_ms``,
``lost`` (not opened in time; must be 0), ``duplicates_opened`` (commands
whose latch opened more than once; must be 0), plus ``broker``,
``database``, ``recorded_p95_ms`` (``finished_at - created_at`` as the
database recorded it) and the load average when the run ended. Target:
``p95_ms`` at most 100 on loopback (docs/locker_bridge.md, "Scaling").
"""

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
CONTROLLER_ID = "bench-locker"
COMPARTMENTS = 12
POLL_SECONDS = 0.001
WARM_UP_COMMANDS = 4
WARM_UP_SECONDS = 60.0
LOST_BEFORE_GIVING_UP = 5


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _postgres_database(url: str) -> tuple[str, str]:
    """The throw-away database's URL and name on the server of ``url``."""
    parsed = urlparse(url)
    name = f"{parsed.path.lstrip('/') or 'postgres'}_locker_bench"
    return urlunparse(parsed._replace(path=f"/{name}")), name


def _postgres_admin(url: str, statements: list[str]) -> None:
    import psycopg

    parsed = urlparse(url)
    with psycopg.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        for statement in statements:
            admin.execute(statement)


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def database_drop(url: str) -> None:
    _url, name = _postgres_database(url)
    _postgres_admin(url, [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])


def environment(*, directory: Path) -> dict[str, str]:
    """The settings every process of the benchmark shares, through the environment (cms/settings/base.py)."""
    given = os.environ.get("DATABASE_URL", "")
    if _is_postgres(given):
        database_url, name = _postgres_database(given)
        database_drop(given)
        _postgres_admin(given, [f'CREATE DATABASE "{name}"'])
    else:
        database_url = f"sqlite:///{directory / 'bench.sqlite3'}"
    broker = os.environ.get("TASK_BROKER") or ("redis" if os.environ.get("REDIS_URL") else "orm")
    if broker == "redis" and not os.environ.get("REDIS_URL"):
        sys.exit("TASK_BROKER=redis needs REDIS_URL")
    run = uuid.uuid4().hex[:10]
    values = {
        "DJANGO_SETTINGS_MODULE": "cms.settings.base",
        "SECRET_KEY": "bench-only-not-secret",
        "DEBUG": "",
        "DATABASE_URL": database_url,
        "TASK_BROKER": broker,
        "Q_CLUSTER_NAME": f"locker-bench-{run}",
        "LOCKER_DRIVER": "mqtt",
        "LOCKER_TOPIC_PREFIX": f"bench/{run}",
        "LOCKER_BRIDGE_CLIENT_ID": f"bench-bridge-{run}",
        "LOCKER_ALERT_EMAILS": "",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(values)
    return values


def database_prepare() -> list:
    from django_q.models import Schedule

    from django.core.management import call_command

    from locker_bridge import services

    call_command("migrate", verbosity=0, interactive=False)
    Schedule.objects.all().delete()
    locker = services.locker_ensure(controller_id=CONTROLLER_ID, location_label="Benchmark")
    return services.compartments_ensure(locker=locker, count=COMPARTMENTS)


def process_start(name: str, arguments: list[str], directory: Path) -> subprocess.Popen:
    log = open(directory / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        start_new_session=True,  # its own process group: qcluster's workers are stopped with it
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def process_stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass


def processes_check(processes: dict[str, subprocess.Popen], directory: Path) -> None:
    for name, process in processes.items():
        if process.poll() is not None:
            log = (directory / f"{name}.log").read_text()[-2000:]
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{log}")


def open_and_wait(*, compartment, reference: str, timeout: float) -> tuple[float, object]:
    """One open command from the service call until its terminal state is readable; (ms, command)."""
    from django.db import transaction

    from locker_bridge import services
    from locker_bridge.models import Command

    started = time.perf_counter()
    with transaction.atomic():
        command = services.compartment_open(compartment=compartment, reason="Benchmark", reference=reference)
    deadline = started + timeout
    terminal = list(Command.TERMINAL)
    while time.perf_counter() < deadline:
        if Command.objects.filter(pk=command.pk, state__in=terminal).exists():
            break
        time.sleep(POLL_SECONDS)
    elapsed = (time.perf_counter() - started) * 1000
    command.refresh_from_db()
    return elapsed, command


def warm_up(compartments: list, processes: dict[str, subprocess.Popen], directory: Path) -> None:
    """Until ``WARM_UP_COMMANDS`` in a row open: the cluster has started, every process is connected."""
    from locker_bridge.models import Command

    deadline, in_a_row, number = time.monotonic() + WARM_UP_SECONDS, 0, 0
    while in_a_row < WARM_UP_COMMANDS:
        if time.monotonic() > deadline:
            raise RuntimeError("the processes did not get ready; see their logs")
        processes_check(processes, directory)
        _elapsed, command = open_and_wait(
            compartment=compartments[number % len(compartments)], reference=f"warm-up-{number}", timeout=10
        )
        in_a_row = in_a_row + 1 if command.state == Command.State.OPENED else 0
        number += 1


def duplicates_opened() -> int:
    """Commands whose latch the controller reported released more than once (door events, by command id)."""
    from locker_bridge.models import Event

    opened = Counter(
        payload.get("command_id")
        for payload in Event.objects.filter(kind=Event.Kind.DOOR_OPENED).values_list("payload", flat=True)
        if payload.get("via") == "command"
    )
    return sum(1 for times in opened.values() if times > 1)


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, int(len(ordered) * share + 0.5) - 1)], 1)


def measure(*, compartments: list, count: int, processes: dict, directory: Path) -> dict:
    from django.conf import settings

    from locker_bridge.models import Command

    timeout = settings.LOCKER_COMMAND_TTL_SECONDS + 5
    durations, recorded, lost = [], [], 0
    for number in range(count):
        if lost >= LOST_BEFORE_GIVING_UP:
            lost += count - number
            _say(f"giving up after {LOST_BEFORE_GIVING_UP} lost commands")
            break
        elapsed, command = open_and_wait(
            compartment=compartments[number % len(compartments)], reference=f"bench-{number}", timeout=timeout
        )
        if command.state == Command.State.OPENED:
            durations.append(elapsed)
            recorded.append((command.finished_at - command.created_at).total_seconds() * 1000)
        else:
            lost += 1
            _say(f"command {number} ended {command.state}")
            processes_check(processes, directory)
    return {
        "commands": count,
        "p50_ms": round(statistics.median(durations), 1) if durations else None,
        "p95_ms": percentile(durations, 0.95),
        "lost": lost,
        "duplicates_opened": duplicates_opened(),
        "max_ms": round(max(durations), 1) if durations else None,
        "recorded_p95_ms": percentile(recorded, 0.95),
    }


def main() -> int:
    url = os.environ.get("MQTT_URL", "")
    if not url:
        print(json.dumps({"skipped": "set MQTT_URL=mqtt://127.0.0.1:1883"}))  # noqa: T201
        return 0
    count = int(os.environ.get("BENCH_COMMANDS", "500"))
    given_database = os.environ.get("DATABASE_URL", "")
    processes: dict[str, subprocess.Popen] = {}
    with tempfile.TemporaryDirectory(prefix="bench-locker-") as name:
        directory = Path(name)
        values = environment(directory=directory)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.db import connection, connections

        database = connection.vendor
        try:
            compartments = database_prepare()
            _say(f"task broker: {values['TASK_BROKER']} · database: {database} · broker: {url}")
            processes["locker_bridge"] = process_start("locker_bridge", ["locker_bridge"], directory)
            processes["locker_simulator"] = process_start(
                "locker_simulator",
                [
                    "locker_simulator",
                    f"--controller={CONTROLLER_ID}",
                    f"--compartments={COMPARTMENTS}",
                    f"--state-file={directory / 'controller.json'}",
                ],
                directory,
            )
            processes["qcluster"] = process_start("qcluster", ["qcluster"], directory)
            warm_up(compartments, processes, directory)
            result = measure(compartments=compartments, count=count, processes=processes, directory=directory)
        finally:
            for process in processes.values():
                process_stop(process)
            connections.close_all()
            if _is_postgres(given_database):
                database_drop(given_database)
    result.update(
        broker=values["TASK_BROKER"],
        database=database,
        load_average=[round(load, 2) for load in os.getloadavg()],
    )
    print(json.dumps(result))  # noqa: T201
    return 0 if result["lost"] == 0 and result["duplicates_opened"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

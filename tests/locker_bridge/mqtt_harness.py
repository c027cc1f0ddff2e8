"""A bridge and a simulated controller over a real broker, driven from the test's thread.

Both run their MQTT loop in ``poll()``, so the test decides when packets move
and every database write happens in the test's own connection. ``until`` polls
until a condition holds or a generous deadline passes (no sleeps, no timing).
"""

import getpass
import shutil
import socket
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from locker_bridge.bridge import Bridge
from locker_bridge.drivers.mqtt import TlsFiles, client_new
from locker_bridge.models import Command, Event, Locker
from locker_bridge.simulator import MqttSimulator
from tests.conftest import service_missing

DEADLINE_SECONDS = 15.0
DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "mosquitto"


class Harness:
    def __init__(
        self,
        *,
        url: str,
        locker: Locker,
        state_dir: Path,
        prefix: str = "",
        simulator_url: str = "",
        tls: TlsFiles | None = None,
    ):
        """``simulator_url`` gives the controller its own broker user; ``tls`` the CA and client files."""
        self.url, self.simulator_url, self.tls = url, simulator_url or url, tls
        self.prefix = prefix or f"test/{uuid.uuid4().hex[:12]}"
        self.locker = locker
        self.state_file = state_dir / f"{locker.controller_id}.json"
        self.bridge = self.bridge_new()
        self.simulator = self.simulator_new()
        self.bridge_running = True
        self.simulator_running = False

    def bridge_new(self) -> Bridge:
        return Bridge(
            url=self.url, prefix=self.prefix, client_id=f"bridge-{self.prefix}", session_expiry=120, tls=self.tls
        )

    def simulator_new(self) -> MqttSimulator:
        return MqttSimulator(
            url=self.simulator_url,
            tls=self.tls,
            prefix=self.prefix,
            controller_id=self.locker.controller_id,
            key=self.locker.secret_key,
            compartments=4,
            state_file=self.state_file,
            heartbeat_seconds=3600,
            session_expiry=120,
            client_id=f"controller-{self.prefix}",
        )

    def poll(self) -> None:
        if self.bridge_running:
            self.bridge.poll(timeout=0.01)
        if self.simulator_running:
            self.simulator.poll(timeout=0.01)

    def until(self, condition: Callable[[], bool], *, deadline: float = DEADLINE_SECONDS) -> bool:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            self.poll()
            if condition():
                return True
        return False

    def connected(self) -> bool:
        """Both are connected and the bridge has stored the controller's first state report."""
        if not self.until(lambda: self.bridge.subscribed):
            return False
        self.simulator_running = True
        return self.until(
            lambda: (
                self.bridge.connected
                and self.simulator.connected
                and Event.objects.filter(locker=self.locker, kind=Event.Kind.STATE_REPORT).exists()
            )
        )

    def close(self) -> None:
        self.bridge.close()
        self.simulator.close()


def raw_publish(topic: str, payload: bytes, *, url: str = "", tls: TlsFiles | None = None) -> None:
    """Put raw bytes on a topic, as anyone on the broker could (a replay, a forgery), and wait for the PUBACK."""
    client, address = client_new(url=url or settings.MQTT_URL, client_id=f"raw-{uuid.uuid4().hex[:12]}", tls=tls)
    client.connect(address.host, address.port)
    client.loop_start()
    try:
        client.publish(topic, payload, qos=1).wait_for_publish(DEADLINE_SECONDS)
    finally:
        client.disconnect()
        client.loop_stop()


def passwords_write(path: Path, users: dict[str, str]) -> None:
    """A Mosquitto password file (skips, or fails under ``REQUIRE_SERVICES=1``, without ``mosquitto_passwd``)."""
    if not shutil.which("mosquitto_passwd"):
        service_missing("this test starts its own broker: install mosquitto (apt-get install mosquitto)")
    for number, (user, password) in enumerate(users.items()):
        create = ["-c"] if number == 0 else []
        subprocess.run(["mosquitto_passwd", *create, "-b", str(path), user, password], check=True)


def deployed_broker(directory: Path, passwords: dict[str, str]) -> "PrivateBroker":
    """A broker (not started) on ``deploy/mosquitto/`` as shipped: only its paths and ports are changed.

    The TLS listener keeps its place on a port nobody uses here; clients
    connect to the loopback listener, which has the same client id rule.
    """
    from tests.notifications.push_service import self_signed_certificate

    directory.mkdir(parents=True, exist_ok=True)
    (directory / "acl").write_text((DEPLOY / "acl").read_text())
    passwords_write(directory / "passwd", passwords)
    cert, key = self_signed_certificate(str(directory))
    replacements = {
        "password_file": str(directory / "passwd"),
        "acl_file": str(directory / "acl"),
        "persistence_location": f"{directory}/",
        "certfile": cert,
        "keyfile": key,
    }
    lines = []
    for line in (DEPLOY / "mosquitto.conf").read_text().splitlines():
        name = line.split(" ", 1)[0]
        if name in replacements:
            line = f"{name} {replacements[name]}"
        elif line.startswith("listener 8883"):
            line = f"listener {free_port()} 127.0.0.1"
        elif line.startswith("listener 1883"):
            line = "listener {port} 127.0.0.1"
        lines.append(line)
    lines.append(f"user {getpass.getuser()}")  # only used when the tests run as root
    return PrivateBroker(config="\n".join(lines) + "\n", directory=directory)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateBroker:
    """A mosquitto of our own on a free port, so restarting it never touches the shared one.

    ``config`` is a mosquitto.conf body (``{port}`` is filled in) for a broker
    with TLS, passwords and ACLs; without it, a plain anonymous listener.
    """

    def __init__(self, *, config: str = "", directory: Path | None = None):
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.config_file: Path | None = None
        if config:
            assert directory is not None
            self.config_file = directory / "mosquitto.conf"
            self.config_file.write_text(config.format(port=self.port))

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        if not Path(binary).exists():
            service_missing("this test starts its own broker: install mosquitto (apt-get install mosquitto)")
        arguments = ["-c", str(self.config_file)] if self.config_file else ["-p", str(self.port)]
        self.process = subprocess.Popen([binary, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.monotonic() + 10
        while time.monotonic() < end:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)  # waiting for the broker process to listen, not for test timing
        raise RuntimeError("mosquitto did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def finished(command: Command) -> bool:
    command.refresh_from_db()
    return command.is_finished


def assert_every_command_terminal_in_time() -> None:
    overdue = Command.objects.filter(
        state__in=[Command.State.PENDING, Command.State.SENT], expires_at__lt=timezone.now() - timedelta(seconds=5)
    )
    assert not overdue.exists(), list(overdue)


def assert_at_most_one_opening_per_command(harness: Harness) -> None:
    counts = Counter(harness.simulator.opened_by_command)
    assert all(count == 1 for count in counts.values()), counts

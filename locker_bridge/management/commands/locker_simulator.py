"""``manage.py locker_simulator --controller ID --compartments 12``: a controller over MQTT.

The controller's key is read from the database (``Locker.secret_key``) unless
``--key-file`` or the environment variable ``LOCKER_SIMULATOR_KEY`` gives it, so
the simulator can also run on another machine. Never on the command line: it
would show in ``ps`` and the shell history.
"""

import os
import signal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from locker_bridge.drivers.mqtt import TlsFiles
from locker_bridge.models import Locker
from locker_bridge.simulator import MqttSimulator


class Command(BaseCommand):
    help = "Simulate a locker controller over MQTT: keypad, doors, sensors, persisted PINs, fault switches."

    def add_arguments(self, parser):
        parser.add_argument("--controller", required=True, help="controller id (Locker.controller_id)")
        parser.add_argument("--compartments", type=int, default=12)
        parser.add_argument(
            "--occupied", action="store_true", help="a new controller starts with an item in every compartment"
        )
        parser.add_argument(
            "--key-file",
            default="",
            help="file holding the controller's secret key (or set LOCKER_SIMULATOR_KEY; default: from the database)",
        )
        parser.add_argument(
            "--url", default="", help="the controller's own broker URL and user (default: MQTT_URL, the bridge's)"
        )
        parser.add_argument("--client-cert", default="", help="the controller's TLS client certificate (PEM)")
        parser.add_argument("--client-key", default="", help="its private key (PEM)")
        parser.add_argument("--state-file", default="", help="default: var/locker_simulator/<controller>.json")
        parser.add_argument("--heartbeat", type=float, default=None, help="seconds (default: LOCKER_HEARTBEAT_SECONDS)")
        parser.add_argument("--drop-acks", action="store_true", help="execute commands but never acknowledge")
        parser.add_argument("--delay-acks", action="store_true", help="hold acknowledgements (release on 'sim' topic)")
        parser.add_argument("--jam", type=int, action="append", default=[], help="jam this compartment's latch")

    def handle(self, *args, controller, compartments, key_file, state_file, heartbeat, **options):
        url = options["url"] or settings.MQTT_URL
        if not url:
            raise CommandError("Set MQTT_URL (or --url), e.g. mqtt://127.0.0.1:1883")
        key = os.environ.get("LOCKER_SIMULATOR_KEY", "").strip()
        if key_file:
            try:
                key = Path(key_file).read_text().strip()
            except OSError as error:
                raise CommandError(f"Cannot read the key file: {error}") from error
        if not key:
            locker = Locker.objects.filter(controller_id=controller).first()
            if locker is None:
                raise CommandError(f"No locker {controller!r} in the database; pass --key-file or run seed_demo.")
            key = locker.secret_key
        simulator = MqttSimulator(
            url=url,
            prefix=settings.LOCKER_TOPIC_PREFIX,
            controller_id=controller,
            key=key,
            compartments=compartments,
            occupied=options["occupied"],
            state_file=Path(state_file)
            if state_file
            else settings.BASE_DIR / "var" / "locker_simulator" / f"{controller}.json",
            heartbeat_seconds=heartbeat or settings.LOCKER_HEARTBEAT_SECONDS,
            tls=TlsFiles(
                ca_file=settings.MQTT_CA_FILE, cert_file=options["client_cert"], key_file=options["client_key"]
            ),
        )
        simulator.acks(drop=options["drop_acks"], delay=options["delay_acks"])
        for number in options["jam"]:
            simulator.jam(number)
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(
            f"Simulating {controller} with {compartments} compartments. Control topic: "
            f"{settings.LOCKER_TOPIC_PREFIX}/{controller}/sim"
        )
        while not stopping:
            simulator.poll()
        simulator.close()

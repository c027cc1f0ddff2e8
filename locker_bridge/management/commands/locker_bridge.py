"""``manage.py locker_bridge``: the long-running MQTT ingestion process (docs/locker_bridge.md)."""

import signal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from locker_bridge.bridge import bridge_from_settings


class Command(BaseCommand):
    help = "Connect to the MQTT broker, store acknowledgements and events, run the reaper and health check."

    def handle(self, *args, **options):
        if not settings.MQTT_URL:
            raise CommandError("MQTT_URL is not set: the simulated driver needs no bridge process.")
        bridge = bridge_from_settings()
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"Locker bridge: {settings.MQTT_URL} · topics {settings.LOCKER_TOPIC_PREFIX}/+/…")
        bridge.run_forever(should_stop=lambda: stopping)
        self.stdout.write("Locker bridge stopped.")

"""``manage.py locker_key_rotate --controller ID [--grace-minutes 15 | --no-grace]``: a new controller key.

Prints the new key once; install it on the controller (docs/locker_bridge.md,
"Rotating a controller's key"). The key is not written to any log.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from locker_bridge.models import Locker
from locker_bridge.services import locker_key_rotate
from locker_bridge.services.keys import KEY_ROTATION_GRACE


class Command(BaseCommand):
    help = "Give a locker controller a new HMAC key; the old one stays valid for a short grace period."

    def add_arguments(self, parser):
        parser.add_argument("--controller", required=True, help="controller id (Locker.controller_id)")
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=int(KEY_ROTATION_GRACE.total_seconds() // 60),
            help="how long the old key stays valid unless the controller proves the new one first",
        )
        parser.add_argument("--no-grace", action="store_true", help="refuse the old key at once (it may have leaked)")

    def handle(self, *args, controller, grace_minutes, no_grace, **options):
        locker = Locker.objects.filter(controller_id=controller).first()
        if locker is None:
            raise CommandError(f"No locker {controller!r} in the database.")
        if grace_minutes < 0:
            raise CommandError("--grace-minutes must not be negative.")
        grace = timedelta(0) if no_grace else timedelta(minutes=grace_minutes)
        key = locker_key_rotate(locker=locker, grace=grace)
        locker.refresh_from_db()
        if locker.previous_key_until is not None:
            until = f"the old key stays valid until {locker.previous_key_until:%Y-%m-%d %H:%M:%S} UTC"
        else:
            until = "the old key is refused from now on"
        self.stdout.write(f"New key for {controller} ({until}; the first message under the new key ends that):")
        self.stdout.write(key)

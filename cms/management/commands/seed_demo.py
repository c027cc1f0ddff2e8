"""Create Norderstedt's demo site. Safe to run again: every step is idempotent.

Each app keeps its demo data in its own ``demo.py``; later apps add a call here.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from academy import demo as academy_demo
from accounts import demo as accounts_demo
from home import demo as home_demo
from home.search_index import search_index_rebuild
from home.services import staff_groups_ensure
from ideas import demo as ideas_demo
from locker_bridge import demo as locker_bridge_demo
from news import demo as news_demo
from notifications import demo as notifications_demo
from rentals import demo as rentals_demo


class Command(BaseCommand):
    help = "Create or refresh the demo content of Norderstedt GO!"

    def handle(self, *args, **options):
        reveal = getattr(settings, "DEMO_SIGN_INS_VISIBLE", False)
        with transaction.atomic():
            home = home_demo.seed()
            staff_groups_ensure(home=home)
            notifications_demo.seed()
            news_demo.seed(home=home)
            sign_ins = accounts_demo.seed(reveal_passwords=reveal)
            locker_bridge_demo.seed(home=home)
            rentals_demo.seed(home=home)
            academy_demo.seed(home=home)
            ideas_demo.seed(home=home)
        entries = search_index_rebuild()
        self.stdout.write(f"Search index: {entries} entries.")
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
        if reveal:
            self.stdout.write("Demo sign-ins (admin at http://127.0.0.1:8000/admin/):")
            for email, how in sign_ins:
                self.stdout.write(f"  {email:34} {how}")

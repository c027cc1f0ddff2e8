"""Rebuild the site search index now (the hourly job does the same)."""

from django.core.management.base import BaseCommand

from home.search_index import search_index_rebuild


class Command(BaseCommand):
    help = "Write every entry of the site search index again."

    def handle(self, *args, **options):
        self.stdout.write(f"Search index: {search_index_rebuild()} entries.")

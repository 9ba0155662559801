"""`load_demo`: a realistic, idempotent demo with a user of every role."""

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.loader import demo_load


class Command(BaseCommand):
    help = "Load the demo data (idempotent): vendors, users of every role, and what exists so far."

    def handle(self, *args, **options):
        with transaction.atomic():
            summary = demo_load()
        for line in summary:
            self.stdout.write(line)

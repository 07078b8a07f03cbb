from django.core.management.base import BaseCommand

from emergency.org.demo import load_demo
from emergency.org.models import OrgUnit


class Command(BaseCommand):
    help = "Load the two demo organisations (Xi'an Customs, Guigang City) with one user per role. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any unit exists already.")

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and OrgUnit.objects.exists():
            self.stdout.write("Demo data: organisation already present, nothing loaded.")
            return
        report = load_demo()
        self.stdout.write(f"Demo data: {report.created} rows created, {report.updated} updated.")

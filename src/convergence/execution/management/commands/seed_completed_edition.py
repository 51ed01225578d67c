from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from convergence.accounts.models import User
from convergence.calls.models import Call
from convergence.execution.demo import seed_completed_edition


class Command(BaseCommand):
    help = "Demo: a completed edition of a call with its real dates, labels, reports, results and programme."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--slug", default="convergence-ia-2024-2025")
        parser.add_argument("--receipt-prefix", default="CIA-24E")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if the edition already exists")

    def handle(self, *args, path: Path, slug: str, receipt_prefix: str, if_empty: bool, **options):
        if if_empty and Call.objects.filter(slug=slug).exists():
            self.stdout.write(f"{slug}: already there, nothing seeded")
            return
        organiser = User.objects.filter(is_organiser=True).order_by("pk").first()
        if organiser is None:
            raise CommandError("Create the demo accounts first (create_demo_accounts).")
        call = seed_completed_edition(
            text=path.read_text(encoding="utf-8"),
            source=str(path),
            slug=slug,
            receipt_prefix=receipt_prefix,
            organiser=organiser,
        )
        self.stdout.write(f"{call.slug}: {call.labels.count()} labelled challenges, programme of the Summit")

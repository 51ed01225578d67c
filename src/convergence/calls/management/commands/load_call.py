from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from convergence.calls.schema import CallFileError
from convergence.calls.services import call_load


class Command(BaseCommand):
    help = "Create or update a call from its YAML definition file (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--demo", action="store_true", help="shift the dates so that applications are open now")
        parser.add_argument("--slug", help="load the file as another edition, under this identifier")
        parser.add_argument("--receipt-prefix", help="receipt and label numbering of that edition, e.g. CIA-2024E")

    def handle(self, *args, path: Path, demo: bool, slug: str | None, receipt_prefix: str | None, **options):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        try:
            call = call_load(text=text, source=str(path), demo=demo, slug=slug, receipt_prefix=receipt_prefix)
        except CallFileError as error:
            raise CommandError("invalid call file:\n" + "\n".join(error.problems)) from error
        closes = call.closes_at.astimezone(call.tz)
        self.stdout.write(f"loaded call {call.slug}: applications close {closes:%Y-%m-%d %H:%M:%S %Z}")

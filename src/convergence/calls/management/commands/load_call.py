import re
from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from convergence.calls.schema import CallFileError, parse_call_definition
from convergence.calls.services import call_load, demo_shift_days


def _demo_receipt_prefix(text: str, path: Path) -> str | None:
    """In demo mode the calendar moves to this year: so does the year in the receipt numbers (CIA-2024 opens in
    2026 → CIA-2026), so that a receipt does not contradict the dates beside it."""
    try:
        definition = parse_call_definition(text, str(path))
    except CallFileError:
        return None  # call_load reports the file's problems
    year = (definition.applications_open + timedelta(days=demo_shift_days(definition))).year
    return re.sub(r"(19|20)\d\d", str(year), definition.receipt_prefix, count=1)


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
        if demo and not receipt_prefix:
            receipt_prefix = _demo_receipt_prefix(text, path)
        try:
            call = call_load(text=text, source=str(path), demo=demo, slug=slug, receipt_prefix=receipt_prefix)
        except CallFileError as error:
            raise CommandError("invalid call file:\n" + "\n".join(error.problems)) from error
        closes = call.closes_at.astimezone(call.tz)
        self.stdout.write(f"loaded call {call.slug}: applications close {closes:%Y-%m-%d %H:%M:%S %Z}")

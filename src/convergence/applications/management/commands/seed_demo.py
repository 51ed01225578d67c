from django.core.management.base import BaseCommand, CommandError

from convergence.applications.demo import demo_dossiers, seed_demo_applications
from convergence.calls.models import Call
from convergence.calls.selectors import call_current
from convergence.core.errors import DomainError


class Command(BaseCommand):
    help = "Create N varied demo dossiers for a call (default: the current call)."

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, help="how many (default: every hand-written dossier once)")
        parser.add_argument("--call", help="slug of the call")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--if-empty", action="store_true", help="do nothing if the call already has dossiers")

    def handle(self, *args, applications: int | None, call: str | None, seed: int, if_empty: bool, **options):
        target = Call.objects.filter(slug=call).first() if call else call_current()
        if target is None:
            raise CommandError("No such call: load one first with load_call.")
        if if_empty and target.applications.exists():
            self.stdout.write(f"{target.slug}: already has dossiers, nothing seeded")
            return
        try:
            outcome = seed_demo_applications(
                call=target, count=applications or len(demo_dossiers("current")), seed=seed
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"{target.slug}: {outcome['submitted']} submitted, {outcome['draft']} drafts created")

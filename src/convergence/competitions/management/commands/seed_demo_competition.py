from django.core.management.base import BaseCommand, CommandError

from convergence.accounts.models import User
from convergence.competitions.demo import seed_demo_code_competition, seed_demo_competition
from convergence.competitions.models import Competition


class Command(BaseCommand):
    help = (
        "Demo: an open competition with data, a running phase and a few scored submissions; and one imported from "
        "the Codabench example bundle, where participants submit code run in the sandbox."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing if a competition exists")

    def handle(self, *args, if_empty: bool, **options):
        if if_empty and Competition.objects.exists():
            self.stdout.write("a competition exists already, nothing seeded")
            return
        host = User.objects.filter(is_organiser=True).order_by("pk").first()
        if host is None:
            raise CommandError("Create the demo accounts first (create_demo_accounts).")
        participants = list(User.objects.filter(email__in=["applicant@demo.test", "applicant2@demo.test"]))
        competition = seed_demo_competition(host=host, participants=participants)
        self.stdout.write(f"competition {competition.slug}: {competition.phases.count()} phase(s)")
        if participants:
            code = seed_demo_code_competition(host=host, participant=participants[-1])
            self.stdout.write(f"competition {code.slug}: code submissions run in the sandbox")

from django.core.management.base import BaseCommand, CommandError

from convergence.accounts.services import DEMO_PASSWORD, DemoModeRequired, demo_accounts_ensure


class Command(BaseCommand):
    help = "Create the demo accounts (demo mode only)."

    def handle(self, *args, **options):
        try:
            users = demo_accounts_ensure()
        except DemoModeRequired as error:
            raise CommandError(str(error)) from error
        for user in users:
            self.stdout.write(f"{user.email} / {DEMO_PASSWORD}")

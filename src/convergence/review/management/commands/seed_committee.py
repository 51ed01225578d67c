from django.core.management.base import BaseCommand, CommandError

from convergence.accounts.models import User
from convergence.calls.selectors import call_current
from convergence.review.demo import seed_demo_committee


class Command(BaseCommand):
    help = "Make the demo reviewers members of the current call's committee (demo accounts must exist)."

    def handle(self, *args, **options):
        call = call_current()
        inviter = User.objects.filter(is_organiser=True).order_by("pk").first()
        if call is None or inviter is None:
            raise CommandError("Load a call and create the demo accounts first.")
        added = seed_demo_committee(call=call, inviter=inviter)
        self.stdout.write(f"{call.slug}: {added} committee members added")

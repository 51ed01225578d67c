from django.core.management.base import BaseCommand, CommandError

from convergence.accounts.models import User
from convergence.calls.selectors import call_current
from convergence.review.demo import seed_demo_committee, seed_early_review
from convergence.review.demo_instruction import seed_current_instruction


class Command(BaseCommand):
    help = "Demo: the demo reviewers join the current call's committee; with --early-review they start on it."

    def add_arguments(self, parser):
        parser.add_argument("--early-review", action="store_true", help="assign the dossiers submitted so far")

    def handle(self, *args, early_review: bool, **options):
        call = call_current()
        inviter = User.objects.filter(is_organiser=True).order_by("pk").first()
        if call is None or inviter is None:
            raise CommandError("Load a call and create the demo accounts first.")
        added = seed_demo_committee(call=call, inviter=inviter)
        self.stdout.write(f"{call.slug}: {added} committee members added")
        if early_review:
            outcome = seed_early_review(call=call, organiser=inviter)
            self.stdout.write(f"{call.slug}: early review, {outcome['assignments']} assignments, "
                              f"{outcome['reviews']} reviews written")  # fmt: skip
            # Messages with applicants, notes, tags and an expert reading a dossier.
            seed_current_instruction(call=call, organiser=inviter)

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from convergence.labels import signing


class Command(BaseCommand):
    help = (
        "Show the label signing key's public half, create the key once (--create) for production, "
        "or rotate it (--rotate): labels signed before stay valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("--create", action="store_true", help="write a new Ed25519 key to LABEL_SIGNING_KEY_FILE")
        parser.add_argument(
            "--rotate", action="store_true", help="retire the current key (public half kept) and sign with a new one"
        )

    def handle(self, *args, create: bool, rotate: bool, **options):
        path = Path(settings.LABEL_SIGNING_KEY_FILE)
        if create:
            if path.exists():
                raise CommandError(f"{path} already exists: a new key would invalidate every certificate issued.")
            signing.write_new_key(path)
            self.stdout.write(f"created {path}; keep it secret and share it with every application server")
        if not path.exists():
            raise CommandError(f"{path} does not exist: run with --create")
        if rotate:
            former, new = signing.rotate_key()
            self.stdout.write(
                f"key {former} retired to {signing.retired_keys_dir()} (still checks the labels it signed); "
                f"new labels are signed with key {new}. Copy both to every application server."
            )
        self.stdout.write(f"key id {signing.key_id()}")
        self.stdout.write(signing.public_key_pem().decode("ascii"))

"""Password hashing: Argon2id with the parameters OWASP recommends, so that a login wave holds on two cores."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """OWASP's first configuration: Argon2id, 19 MiB of memory, 2 passes, 1 lane (about 25 ms on one core).

    Django's defaults (100 MiB, 8 lanes) cost four times as much memory per login for little more
    resistance; the same algorithm name keeps stored hashes readable, and `must_update` rehashes any
    Argon2 or PBKDF2 hash with other parameters at the next login.
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

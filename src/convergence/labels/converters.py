"""Label identifiers in addresses: letters, digits and dashes only, so nothing else reaches the database."""

import re

IDENTIFIER_PATTERN = r"[A-Za-z0-9-]{1,48}"
IDENTIFIER = re.compile(rf"^{IDENTIFIER_PATTERN}$")


class LabelIdentifierConverter:
    regex = IDENTIFIER_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value

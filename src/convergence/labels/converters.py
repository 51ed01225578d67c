"""Label identifiers in addresses: letters, digits and dashes only, so nothing else reaches the database."""

import re

from django.urls import register_converter

IDENTIFIER_PATTERN = r"[A-Za-z0-9-]{1,48}"
IDENTIFIER = re.compile(rf"^{IDENTIFIER_PATTERN}$")


class LabelIdentifierConverter:
    regex = IDENTIFIER_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Registered once, when the first URL module imports this one (registering again is deprecated in Django 5.1).
register_converter(LabelIdentifierConverter, "label_id")

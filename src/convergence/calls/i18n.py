"""Call content is data in several languages: {"fr": "...", "en": "..."}."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language

Translated = dict[str, str]


def localize(value: Translated | str | None, language: str | None = None) -> str:
    """The text in the active language, else French (the default), else any language given."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for candidate in (language, settings.LANGUAGE_CODE):
        if value.get(candidate):
            return value[candidate]
    return next((text for text in value.values() if text), "")

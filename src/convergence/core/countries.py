"""ISO 3166 countries with names in the user's language (pycountry's own translations)."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language


@lru_cache(maxsize=8)
def country_choices_for(language: str) -> tuple[tuple[str, str], ...]:
    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
    names = [(c.alpha_2, translation.gettext(c.name)) for c in pycountry.countries]
    return tuple(sorted(names, key=lambda pair: pair[1].casefold()))


def country_choices() -> list[tuple[str, str]]:
    return [("", "—"), *country_choices_for((get_language() or "fr").split("-")[0])]


def country_name(code: str) -> str:
    return dict(country_choices_for((get_language() or "fr").split("-")[0])).get((code or "").upper(), code)

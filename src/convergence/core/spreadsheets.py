"""Cells written for spreadsheets (CSV, XLSX exports)."""

from __future__ import annotations


def spreadsheet_safe(value):
    # A cell starting with = + - @ would run as a formula in a spreadsheet: neutralise it.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value

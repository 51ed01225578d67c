"""What the demo's seeders share: moments of the real 2024–2025 programme (Paris time) and small PDFs to attach."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from reportlab.pdfgen import canvas

PARIS = ZoneInfo("Europe/Paris")


def paris_time(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def simple_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with these lines: what a demo letter or guideline needs to be a real file."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for index, line in enumerate(lines):
        page.drawString(72, 760 - 20 * index, line)
    page.save()
    return buffer.getvalue()

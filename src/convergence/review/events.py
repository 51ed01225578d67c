from __future__ import annotations

from .models import SelectionEvent


def record(call, actor, kind: str, *, application=None, member=None, **details) -> None:
    SelectionEvent.objects.create(
        call=call, actor=actor, kind=kind, application=application, member=member, details=details
    )

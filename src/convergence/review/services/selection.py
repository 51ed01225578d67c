"""The selection round of a call: created on its first change, locked by every action that changes it."""

from __future__ import annotations

from convergence.calls.models import Call

from ..models import Selection


def locked_selection(call: Call) -> Selection:
    """The call's selection round, created on its first change, locked for the rest of the transaction."""
    Selection.objects.get_or_create(call=call)
    return Selection.objects.select_for_update().get(call=call)

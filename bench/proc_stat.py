"""CPU time of a process on this machine, read from /proc (Linux): what the benches count per request."""

from __future__ import annotations

import os
from pathlib import Path


def process_cpu_seconds(pid: int | str, *, reaped_children: bool = False) -> float:
    """CPU seconds `pid` has used so far (user + system); with `reaped_children`, also those of the children it
    waited for (a database backend that ended, a forked scorer). Raises OSError once the process is gone."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime, stime, cutime, cstime: fields 14 to 17 of proc(5), counted here after the command's parenthesis.
    ticks = fields[11:15] if reaped_children else fields[11:13]
    return sum(int(value) for value in ticks) / os.sysconf("SC_CLK_TCK")

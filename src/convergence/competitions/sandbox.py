"""Running code nobody reviewed — an organiser's scoring program, a participant's code — without trusting it.

Every run goes through bubblewrap (`bwrap`, the sandbox Flatpak uses): new user, network, PID, IPC and UTS
namespaces (no network at all, not even the host's loopback), the system and the Python interpreter read-only,
the inputs read-only, one writable output folder, a private /tmp, and the process killed with its worker. Limits
are set on the sandboxed process itself: wall-clock time, CPU time, address space, file size, number of
processes. Nothing here runs in the web process: only the scoring worker calls `run_sandboxed`.

Without bwrap the run is refused (`SandboxUnavailable`), never done without a sandbox."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

# The folders a program sees, as Codabench lays them out.
ROOT = Path("/app")
PRIVATE_TMP = "/tmp"  # noqa: S108 (a tmpfs of the sandbox's own, not the host's /tmp)
# What bubblewrap says when this host cannot build the sandbox (as opposed to the program failing in it).
BWRAP_SETUP = ("namespace", "No permissions", "uid map", "setting up", "Operation not permitted")
STREAM_LIMIT = 64 * 1024  # what is kept of stdout and stderr, each (the end: where the error is)


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces on this host."""


@dataclass(frozen=True)
class Limits:
    seconds: int
    memory_bytes: int
    file_bytes: int = 256 * 1024**2
    processes: int = 128


@dataclass(frozen=True)
class SandboxResult:
    exit_code: int
    stdout: str
    stderr: str
    timed_out: bool
    seconds: float

    @property
    def output(self) -> str:
        """What the program printed, stdout then stderr."""
        return "\n".join(part for part in (self.stdout, self.stderr) if part).strip()

    @property
    def succeeded(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


def default_limits(seconds: int | None = None) -> Limits:
    return Limits(
        seconds=seconds or settings.SCORING_TIME_LIMIT_SECONDS,
        memory_bytes=settings.SANDBOX_MEMORY_BYTES,
    )


def bwrap_path() -> str:
    path = shutil.which("bwrap")
    if path is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed: `make install` installs it with apt.")
    return path


def _system_mounts() -> list[str]:
    """The operating system and this Python, read-only: a program may import numpy, never change it."""
    arguments = ["--ro-bind", "/usr", "/usr"]
    for name in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc/alternatives", "/etc/ssl"):
        if os.path.islink(name):
            arguments += ["--symlink", os.readlink(name), name]
        elif os.path.isdir(name):
            arguments += ["--ro-bind", name, name]
    for prefix in sorted({sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}):
        if not prefix.startswith("/usr"):
            arguments += ["--ro-bind", prefix, prefix]
    return arguments


def _process_group(limit: int) -> Path | None:
    """A pids cgroup of its own (v1 `pids` controller or v2), where the host lets the worker make one: a fork bomb
    stops at `limit` processes even when the worker runs as root. None where it cannot; RLIMIT_NPROC then limits
    the processes of the worker's user (not root's: the kernel exempts root from it)."""
    for base in (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")):
        group = base / f"convergence-sandbox-{uuid.uuid4().hex[:12]}"
        try:
            group.mkdir()
        except OSError:
            continue
        try:
            (group / "pids.max").write_text(str(limit))
            return group
        except OSError:
            group.rmdir()
    return None


def _release(group: Path | None) -> None:
    if group is None:
        return
    for _attempt in range(50):  # the killed processes take a moment to leave the group
        try:
            group.rmdir()
            return
        except OSError:
            time.sleep(0.02)


def _limit(limits: Limits, group: Path | None):
    def apply() -> None:
        os.setsid()  # its own process group: a timeout kills everything it started
        if group is not None:
            (group / "cgroup.procs").write_text(str(os.getpid()))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.seconds, limits.seconds + 5))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def _tail(stream) -> str:
    """The end of what the program printed (streams go to files, bounded by the file-size limit, never to the
    worker's memory)."""
    size = stream.seek(0, os.SEEK_END)
    stream.seek(max(0, size - STREAM_LIMIT))
    text = stream.read().decode("utf-8", errors="replace")
    return ("…\n" + text) if size > STREAM_LIMIT else text


def run_sandboxed(
    command: list[str],
    *,
    read_only: dict[str, Path],
    writable: dict[str, Path],
    limits: Limits,
    workdir: str = str(ROOT),
) -> SandboxResult:
    """Run `command` inside the sandbox. `read_only` and `writable` map a path inside (under /app) to a folder of
    the host; only `writable` folders can be written, and only they keep what the program wrote."""
    arguments = [
        bwrap_path(),
        "--unshare-all",  # user, network, PID, IPC, UTS and cgroup namespaces: no network device but loopback
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--tmpfs",
        PRIVATE_TMP,
        "--dir",
        str(ROOT),
        *_system_mounts(),
    ]
    for inside, outside in read_only.items():
        arguments += ["--ro-bind", str(outside), inside]
    for inside, outside in writable.items():
        arguments += ["--bind", str(outside), inside]
    arguments += ["--remount-ro", "/"]  # the sandbox's own root too: only the writable folders and /tmp take writes
    arguments += [
        "--chdir",
        workdir,
        "--clearenv",
        "--setenv",
        "HOME",
        PRIVATE_TMP,
        "--setenv",
        "PATH",
        f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "--setenv",
        "LANG",
        "C.UTF-8",
        "--setenv",
        "PYTHONDONTWRITEBYTECODE",
        "1",
        "--",
        *command,
    ]
    group = _process_group(limits.processes)
    started = time.monotonic()
    timed_out = False
    try:
        with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
            process = subprocess.Popen(  # noqa: S603 (the command runs inside the sandbox built above)
                arguments,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                preexec_fn=_limit(limits, group),  # noqa: PLW1509 (limits must be set in the child before exec)
                env={"PATH": "/usr/bin:/bin"},  # bwrap becomes PID 1 inside: its /proc/1/environ must hold nothing
            )
            try:
                process.wait(timeout=limits.seconds)
            except subprocess.TimeoutExpired:
                timed_out = True
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            seconds = time.monotonic() - started
            printed, errors = _tail(stdout), _tail(stderr)
    finally:
        _release(group)
    if process.returncode != 0 and errors.startswith("bwrap:") and any(sign in errors[:300] for sign in BWRAP_SETUP):
        raise SandboxUnavailable(errors[:500])
    return SandboxResult(
        exit_code=process.returncode,
        stdout=printed,
        stderr=errors,
        timed_out=timed_out,
        seconds=round(seconds, 3),
    )


def sandbox_runner() -> Callable[..., SandboxResult]:
    """The runner named by SANDBOX_RUNNER: this module's bubblewrap runner unless a deployment names another with
    the same signature (a container runner, for example)."""
    return import_string(settings.SANDBOX_RUNNER)


def python_command() -> str:
    """The interpreter programs run with (`python` and `python3` in their command mean it): this platform's own,
    with numpy, pandas-compatible polars, scikit-learn and scipy, read-only."""
    return sys.executable

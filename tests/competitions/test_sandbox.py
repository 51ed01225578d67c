"""The sandbox that runs hosts' scoring programs: no network, read-only inputs, nothing of the platform visible,
and limits on time and memory. Each test runs a real program in bubblewrap."""

import socket
import sys
from pathlib import Path

import pytest

from convergence.competitions.sandbox import Limits, SandboxUnavailable, bwrap_path, run_sandboxed

try:
    bwrap_path()
except SandboxUnavailable:  # pragma: no cover (make install installs bubblewrap)
    pytest.fail("bubblewrap is missing: `make install` installs it", pytrace=False)

LIMITS = Limits(seconds=20, memory_bytes=1024**3)


def _python(tmp_path: Path, code: str, limits: Limits = LIMITS, inputs: Path | None = None):
    program, output = tmp_path / "program", tmp_path / "output"
    program.mkdir(exist_ok=True)
    output.mkdir(exist_ok=True)
    (program / "run.py").write_text(code, encoding="utf-8")
    read_only = {"/app/program": program}
    if inputs is not None:
        read_only["/app/input"] = inputs
    result = run_sandboxed(
        [sys.executable, "/app/program/run.py"], read_only=read_only, writable={"/app/output": output}, limits=limits
    )
    return result, output


def test_the_program_reads_its_input_and_writes_only_its_output(tmp_path):
    inputs = tmp_path / "input"
    inputs.mkdir()
    (inputs / "ref.txt").write_text("42", encoding="utf-8")
    result, output = _python(
        tmp_path,
        "import pathlib\n"
        "value = pathlib.Path('/app/input/ref.txt').read_text()\n"
        "pathlib.Path('/app/output/scores.txt').write_text('score: ' + value)\n"
        "try:\n"
        "    pathlib.Path('/app/input/ref.txt').write_text('0')\n"
        "except OSError as error:\n"
        "    print('input is read-only', error.errno)\n",
        inputs=inputs,
    )
    assert result.succeeded, result.stderr
    assert (output / "scores.txt").read_text() == "score: 42"
    assert "input is read-only 30" in result.stdout  # EROFS
    assert (inputs / "ref.txt").read_text() == "42"


def test_no_network_not_even_the_hosts_loopback(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    try:
        result, _ = _python(
            tmp_path,
            "import socket\n"
            "for host, port in (('127.0.0.1', %d), ('1.1.1.1', 443)):\n"
            "    try:\n"
            "        socket.create_connection((host, port), timeout=3)\n"
            "        print('CONNECTED', host)\n"
            "    except OSError as error:\n"
            "        print('refused', host)\n" % port,
        )
    finally:
        listener.close()
    assert result.succeeded, result.stderr
    assert "CONNECTED" not in result.stdout
    assert result.stdout.count("refused") == 2


def test_the_platform_its_files_and_its_secrets_are_out_of_sight(tmp_path, settings):
    database = Path(settings.DATABASES["default"].get("NAME") or "/nonexistent")
    result, _ = _python(
        tmp_path,
        "import os, pathlib\n"
        f"print('database', pathlib.Path({str(database)!r}).exists())\n"
        f"print('media', pathlib.Path({str(settings.MEDIA_ROOT)!r}).exists())\n"
        "print('source', pathlib.Path(%r).exists())\n"
        "print('env', sorted(os.environ))\n" % str(Path(__file__).resolve()),
    )
    assert result.succeeded, result.stderr
    assert "database False" in result.stdout and "media False" in result.stdout and "source False" in result.stdout
    assert "SECRET" not in result.stdout and "DATABASE_URL" not in result.stdout


def test_a_program_that_runs_forever_is_stopped_at_its_time_limit(tmp_path):
    result, _ = _python(tmp_path, "while True:\n    pass\n", limits=Limits(seconds=2, memory_bytes=1024**3))
    assert result.timed_out and not result.succeeded
    assert result.seconds < 10


def test_a_program_cannot_take_more_memory_than_allowed(tmp_path):
    result, _ = _python(
        tmp_path, "block = bytearray(800 * 1024 * 1024)\nprint('allocated')\n", limits=Limits(20, 300 * 1024**2)
    )
    assert not result.succeeded
    assert "allocated" not in result.stdout and "MemoryError" in result.stderr

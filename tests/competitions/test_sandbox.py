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


def test_a_fork_bomb_is_contained(tmp_path):
    result, _ = _python(
        tmp_path,
        "import os, time\nchildren = 0\ntry:\n    while True:\n        if os.fork() == 0:\n            time.sleep(30)\n"
        "        children += 1\nexcept OSError as error:\n    print('stopped at', children, error.errno)\n",
        limits=Limits(seconds=5, memory_bytes=1024**3, processes=50),
    )
    assert "stopped at" in result.stdout, (result.stdout, result.stderr)
    assert int(result.stdout.split()[2]) < 60


def test_nothing_of_the_worker_leaks_through_proc_or_the_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "worker-secret-value")
    result, _ = _python(
        tmp_path,
        "import pathlib\n"
        "for path in ('/proc/1/environ', '/proc/self/environ'):\n"
        "    try:\n        print(path, pathlib.Path(path).read_bytes())\n"
        "    except OSError as error:\n        print(path, 'refused', error.errno)\n"
        "print(sorted(p.name for p in pathlib.Path('/proc').iterdir() if p.name.isdigit()))\n",
    )
    assert result.succeeded, result.stderr
    assert "worker-secret-value" not in result.stdout
    pids = eval(result.stdout.strip().splitlines()[-1])  # noqa: S307 (the list the program printed)
    assert len(pids) <= 3  # its own PID namespace: bwrap's init and the program, not the worker's processes


def test_writing_outside_its_output_folder_or_a_huge_file_fails(tmp_path):
    result, output = _python(
        tmp_path,
        "import pathlib\n"
        "for target in ('/usr/evil', '/app/program/evil', '/evil', '/etc/evil'):\n"
        "    try:\n        pathlib.Path(target).write_text('x')\n        print('WROTE', target)\n"
        "    except OSError as error:\n        print('refused', target)\n"
        "with open('/app/output/big', 'wb') as big:\n"
        "    try:\n        for _ in range(64):\n            big.write(b'0' * 1024 * 1024)\n            big.flush()\n"
        "    except OSError as error:\n        print('file limit', error.errno)\n",
        limits=Limits(seconds=20, memory_bytes=1024**3, file_bytes=16 * 1024**2),
    )
    assert "WROTE" not in result.stdout
    assert (output / "big").stat().st_size <= 16 * 1024**2
    assert not Path("/usr/evil").exists()


def test_a_flood_of_output_is_cut_not_kept_in_memory(tmp_path):
    result, _ = _python(tmp_path, "import sys\nfor _ in range(200000):\n    print('x' * 100)\nprint('the end')\n")
    assert result.succeeded
    assert len(result.stdout) < 70 * 1024 and result.stdout.rstrip().endswith("the end")

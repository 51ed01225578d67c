"""Benchmark of scoring with a host's program in the sandbox, against the same program run directly, same run.

Fills a throw-away SQLite database with a competition whose phase is scored by a small Python scoring program
(Codabench's contract: reads input/ref and input/res, writes scores.json), then for each of N submissions times
the path from the upload to the score a page shows: the upload service (checks, file stored, queued) and the
scoring worker's run (claim, program in bubblewrap, scores stored). The baseline runs the same program on the
same folders as a plain subprocess, without the sandbox: the difference is the sandbox's own cost. Prints:
RESULT sandbox upload-to-score p50_seconds=… p95_seconds=…
RESULT sandbox program-run seconds=… baseline_seconds=… overhead_seconds=… ratio=…   (medians; ratio = ours / direct)
Usage: python bench/sandbox.py [--submissions N]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ["DJANGO_SETTINGS_MODULE"] = "convergence.settings_test"
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='convergence-bench-')}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from convergence.accounts.models import User  # noqa: E402
from convergence.competitions import services  # noqa: E402
from convergence.competitions.models import Submission  # noqa: E402
from convergence.competitions.programs import program_command, unpack  # noqa: E402
from convergence.competitions.runner import submission_score  # noqa: E402
from convergence.competitions.sandbox import default_limits, run_sandboxed  # noqa: E402

ROWS = 2000
SCORE_PY = """
import json, pathlib, sys
truth = dict(l.split(",") for l in pathlib.Path(sys.argv[1], "ref", "truth.csv").read_text().splitlines()[1:])
given = dict(l.split(",") for l in next(pathlib.Path(sys.argv[1], "res").glob("*.csv")).read_text().splitlines()[1:])
right = sum(given.get(key) == value for key, value in truth.items())
pathlib.Path(sys.argv[2], "scores.json").write_text(json.dumps({"accuracy": right / len(truth)}))
"""


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=20)
    args = parser.parse_args()
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="convergence-bench-media-")
    call_command("migrate", verbosity=0)
    host = User.objects.create_user(email="host@bench.example", is_organiser=True)
    player = User.objects.create_user(email="player@bench.example")
    competition = services.competition_create(user=host, title="Bench", participation="open")
    now = timezone.now()
    phase = services.phase_add(
        competition=competition,
        user=host,
        code="dev",
        name="Dev",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
        metric="accuracy",
        max_per_day=args.submissions + 1,
        max_total=args.submissions + 1,
    )
    truth = "id,target\n" + "\n".join(f"{i},{'cat' if i % 3 else 'dog'}" for i in range(ROWS))
    program = _zip({"metadata": "command: python $program/score.py $input $output\n", "score.py": SCORE_PY})
    phase = services.phase_program_set(
        phase=phase,
        user=host,
        program=SimpleUploadedFile("program.zip", program),
        reference=SimpleUploadedFile("reference.zip", _zip({"truth.csv": truth})),
    )
    services.competition_join(competition=competition, user=player, accept_rules=True)
    results = _zip({"predictions.csv": "id,prediction\n" + "\n".join(f"{i},cat" for i in range(ROWS))})

    services.submissions.queue_scoring_after_commit = lambda ids: None  # the bench plays the worker itself
    upload_to_score = []
    for _ in range(args.submissions):
        started = time.perf_counter()
        submission = services.submission_create(
            phase=phase, user=player, upload=SimpleUploadedFile("results.zip", results)
        )
        submission_score(submission.pk)
        upload_to_score.append(time.perf_counter() - started)
        submission.refresh_from_db()
        assert submission.status == Submission.Status.SCORED, submission.error
    quantiles = statistics.quantiles(upload_to_score, n=20)
    print(
        f"RESULT sandbox upload-to-score p50_seconds={statistics.median(upload_to_score):.3f} "
        f"p95_seconds={quantiles[18]:.3f} submissions={args.submissions}"
    )

    # The program alone, in the sandbox and directly, on the same folders.
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        for name in ("program", "input/ref", "input/res", "output"):
            (base / name).mkdir(parents=True)
        unpack(program, base / "program", what="program")
        unpack(_zip({"truth.csv": truth}), base / "input" / "ref", what="reference")
        unpack(results, base / "input" / "res", what="results")
        command = program_command(base / "program")
        sandboxed, direct = [], []
        for _ in range(args.submissions):
            started = time.perf_counter()
            result = run_sandboxed(
                command,
                read_only={"/app/program": base / "program", "/app/input": base / "input"},
                writable={"/app/output": base / "output"},
                limits=default_limits(),
                workdir="/app/program",
            )
            sandboxed.append(time.perf_counter() - started)
            assert result.succeeded, result.stderr
            started = time.perf_counter()
            plain = [part.replace("/app", str(base)) for part in command]
            subprocess.run(plain, check=True, capture_output=True)  # noqa: S603 (our own bench program)
            direct.append(time.perf_counter() - started)
    ours, baseline = statistics.median(sandboxed), statistics.median(direct)
    print(
        f"RESULT sandbox program-run seconds={ours:.3f} baseline_seconds={baseline:.3f} "
        f"overhead_seconds={ours - baseline:.3f} ratio={ours / baseline:.2f}"
    )


if __name__ == "__main__":
    main()

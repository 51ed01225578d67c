"""Scoring with the host's own program, as Codabench and CodaLab do, run in the sandbox by the scoring worker.

The contract is Codabench's: the program (a zip with a `metadata` file giving its `command`) sees the reference
data in `/app/input/ref`, the participant's results in `/app/input/res` (their zip unpacked, or their single
file), writes `scores.json` (`{"accuracy": 0.91, …}`) or `scores.txt` (`accuracy: 0.91` lines) to `/app/output`,
and may write `detailed_results.html`. Its command may use `$program`, `$input`, `$output`, `$shared` and
`$tmp`, and `python`/`python3` mean the platform's interpreter (with numpy, scipy, scikit-learn, polars)."""

from __future__ import annotations

import io
import json
import math
import shlex
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml
from django.utils.translation import gettext as _

from .sandbox import PRIVATE_TMP, ROOT, Limits, python_command, sandbox_runner
from .scoring import SubmissionInvalid

MAX_UNPACKED_BYTES = 2 * 1024**3
MAX_MEMBERS = 20_000
DETAILED_RESULTS_MAX_BYTES = 2 * 1024 * 1024
PLACEHOLDERS = {
    "$program": f"{ROOT}/program",
    "$input": f"{ROOT}/input",
    "$output": f"{ROOT}/output",
    "$shared": f"{ROOT}/shared",
    "$tmp": PRIVATE_TMP,
}
# Codabench's ingestion: the host's program runs the participant's code on the input data, and writes the
# predictions the scoring program then reads as the participant's results.
INGESTION_PLACEHOLDERS = {
    **PLACEHOLDERS,
    "$ingestion_program": f"{ROOT}/program",
    "$submission_program": f"{ROOT}/ingested_program",
    "$input": f"{ROOT}/input_data",
}


class ProgramFailed(SubmissionInvalid):
    """The program ran and failed on this submission; `log` is what it printed."""

    def __init__(self, problems: list[str], log: str, ingestion_log: str = ""):
        super().__init__(problems)
        self.log = log
        self.ingestion_log = ingestion_log


class ProgramInvalid(ValueError):
    """The host's program cannot be used; the message says why, in the host's language."""


@dataclass
class ProgramOutcome:
    scores: dict[str, float]
    log: str  # what the program printed, for the host (and the participant when the host allows)
    detailed_html: str = ""
    ingestion_log: str = ""  # what the participant's code printed while the ingestion program ran it


def unpack(data: bytes, destination: Path, *, what: str) -> None:
    """Unpack a zip safely (no absolute paths, no `..`, no links, bounded size); a zip holding one folder is
    unpacked from inside that folder, as people often zip the folder itself."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ProgramInvalid(_("%(what)s is not a zip file.") % {"what": what}) from error
    members = [member for member in archive.infolist() if not member.is_dir()]
    if len(members) > MAX_MEMBERS or sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise ProgramInvalid(_("%(what)s is too large once unpacked.") % {"what": what})
    names = [PurePosixPath(member.filename) for member in members]
    if any(name.is_absolute() or ".." in name.parts for name in names):
        raise ProgramInvalid(_("%(what)s holds a path outside its folder.") % {"what": what})
    tops = {name.parts[0] for name in names}
    strip = 1 if len(tops) == 1 and all(len(name.parts) > 1 for name in names) else 0
    for member, name in zip(members, names, strict=True):
        if (member.external_attr >> 16) & 0o170000 == 0o120000:
            continue  # a symbolic link: never followed
        target = destination.joinpath(*name.parts[strip:])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(archive.read(member))


def program_command(
    program_dir: Path, placeholders: dict[str, str] | None = None, *, what: str | None = None
) -> list[str]:
    """The command of the program's `metadata` (YAML, as in Codabench), its placeholders filled. `what` names
    the program in refusals (the scoring program unless said)."""
    what = what or _("The scoring program")
    candidates = [program_dir / name for name in ("metadata", "metadata.yaml", "metadata.yml")]
    metadata = next((path for path in candidates if path.is_file()), None)
    if metadata is None:
        raise ProgramInvalid(_("%(what)s has no metadata file giving its command.") % {"what": what})
    try:
        content = yaml.safe_load(metadata.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ProgramInvalid(_("%(what)s: its metadata file is not valid YAML.") % {"what": what}) from error
    command = content.get("command") if isinstance(content, dict) else None
    if not isinstance(command, str) or not command.strip():
        raise ProgramInvalid(_("%(what)s: its metadata file gives no command.") % {"what": what})
    # Longest first: $ingestion_program before $input.
    for placeholder, value in sorted((placeholders or PLACEHOLDERS).items(), key=lambda item: -len(item[0])):
        command = command.replace(placeholder, value)
    try:
        words = shlex.split(command)
    except ValueError as error:
        raise ProgramInvalid(
            _("%(what)s: its command cannot be read: %(error)s") % {"what": what, "error": error}
        ) from error
    if words and words[0] in {"python", "python3"}:
        words[0] = python_command()
    return words


def check_program(data: bytes, what: str | None = None) -> list[str]:
    """Check a program when the host uploads it: a readable zip with a command. Returns the command."""
    what = what or _("The scoring program")
    with tempfile.TemporaryDirectory(prefix="convergence-program-") as folder:
        unpack(data, Path(folder), what=what)
        return program_command(Path(folder), what=what)


def read_scores(output: Path) -> dict[str, float]:
    """`scores.json` (an object of numbers) or `scores.txt` (`name: number` lines), as Codabench reads them."""
    scores: dict[str, object] = {}
    if (output / "scores.json").is_file():
        try:
            loaded = json.loads((output / "scores.json").read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            loaded = None
        if not isinstance(loaded, dict):
            raise SubmissionInvalid([_("The scoring program wrote a scores.json that is not a JSON object.")])
        scores = loaded
    elif (output / "scores.txt").is_file():
        for line in (output / "scores.txt").read_text(encoding="utf-8", errors="replace").splitlines():
            if ":" in line:
                key, value = line.split(":", 1)
                scores[key.strip()] = value.strip()
    else:
        raise SubmissionInvalid([_("The scoring program wrote no scores (scores.json or scores.txt).")])
    numbers = {}
    for name, raw in scores.items():
        try:
            number = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue  # Codabench ignores what is not a number too (e.g. a "duration" text)
        if math.isfinite(number):
            numbers[str(name)[:60]] = number
    if not numbers:
        raise SubmissionInvalid([_("The scoring program wrote no numeric score.")])
    return numbers


def _ingest(
    base: Path, *, ingestion: bytes, input_data: bytes | None, code: bytes, predictions: Path, limits: Limits
) -> str:
    """Run the participant's code through the host's ingestion program, in the sandbox; its predictions land in
    `predictions`. Returns what it printed."""
    ingestion_dir, code_dir, data_dir = base / "ingestion", base / "ingested_program", base / "input_data"
    for path in (ingestion_dir, code_dir, data_dir):
        path.mkdir(parents=True)
    unpack(ingestion, ingestion_dir, what=_("The ingestion program"))
    if input_data:
        unpack(input_data, data_dir, what=_("The input data"))
    try:
        unpack(code, code_dir, what=_("Your code"))
    except ProgramInvalid as error:
        raise SubmissionInvalid([str(error)]) from error
    run = sandbox_runner()(
        program_command(ingestion_dir, INGESTION_PLACEHOLDERS, what=_("The ingestion program")),
        read_only={
            f"{ROOT}/program": ingestion_dir,
            f"{ROOT}/ingested_program": code_dir,
            f"{ROOT}/input_data": data_dir,
        },
        writable={f"{ROOT}/output": predictions, f"{ROOT}/shared": base / "shared"},
        limits=limits,
        workdir=f"{ROOT}/ingested_program",
    )
    log = run.output
    if run.timed_out:
        raise ProgramFailed(
            [_("Your code took longer than the %(seconds)d seconds allowed.") % {"seconds": limits.seconds}], "", log
        )
    if run.exit_code != 0:
        raise ProgramFailed(
            [_("Your code stopped with an error (exit code %(code)d): see its output.") % {"code": run.exit_code}],
            "",
            log,
        )
    return log


def run_program(
    *,
    program: bytes,
    reference: bytes | None,
    results: bytes,
    results_name: str,
    limits: Limits,
    ingestion: bytes | None = None,
    input_data: bytes | None = None,
) -> ProgramOutcome:
    """Run the host's program on one submission's results, in the sandbox. With an `ingestion` program, the
    submission is code: the ingestion program runs it first, and its predictions are the results scored."""
    with tempfile.TemporaryDirectory(prefix="convergence-scoring-") as folder:
        base = Path(folder)
        program_dir, ref, res, output, shared = (
            base / "program",
            base / "input" / "ref",
            base / "input" / "res",
            base / "output",
            base / "shared",
        )
        for path in (program_dir, ref, res, output, shared):
            path.mkdir(parents=True)
        unpack(program, program_dir, what=_("The scoring program"))
        if reference:
            unpack(reference, ref, what=_("The reference data"))
        ingestion_log = ""
        if ingestion is not None:
            ingestion_log = _ingest(
                base, ingestion=ingestion, input_data=input_data, code=results, predictions=res, limits=limits
            )
        elif zipfile.is_zipfile(io.BytesIO(results)):
            try:
                unpack(results, res, what=_("Your submission"))
            except ProgramInvalid as error:
                raise SubmissionInvalid([str(error)]) from error
        else:
            res.joinpath(PurePosixPath(results_name).name or "predictions").write_bytes(results)
        command = program_command(program_dir)
        run = sandbox_runner()(
            command,
            read_only={f"{ROOT}/program": program_dir, f"{ROOT}/input": base / "input"},
            writable={f"{ROOT}/output": output, f"{ROOT}/shared": shared},
            limits=limits,
            workdir=f"{ROOT}/program",
        )
        log = run.output
        if run.timed_out:
            raise ProgramFailed(
                [_("The scoring took longer than the %(seconds)d seconds allowed.") % {"seconds": limits.seconds}],
                log,
                ingestion_log,
            )
        if run.exit_code != 0:
            raise ProgramFailed(
                [_("The scoring program stopped with an error (exit code %(code)d).") % {"code": run.exit_code}],
                log,
                ingestion_log,
            )
        detailed = output / "detailed_results.html"
        html = ""
        if detailed.is_file() and detailed.stat().st_size <= DETAILED_RESULTS_MAX_BYTES:
            html = detailed.read_text(encoding="utf-8", errors="replace")
        try:
            scores = read_scores(output)
        except SubmissionInvalid as error:
            raise ProgramFailed(error.problems, log, ingestion_log) from error
        return ProgramOutcome(scores=scores, log=log, detailed_html=html, ingestion_log=ingestion_log)

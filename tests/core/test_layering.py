"""`core` is shared by every stage and imports none of them; a stage imports earlier stages only."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "convergence"
# The order data flows in (DESIGN.md): a later stage may import an earlier one, never the reverse.
STAGES = ["core", "accounts", "calls", "applications", "review", "labels", "execution", "competitions", "insights"]


def _imported_apps(path: Path) -> set[str]:
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("convergence."):
            apps.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            apps.update(alias.name.split(".")[1] for alias in node.names if alias.name.startswith("convergence."))
    return apps


def test_core_imports_no_stage():
    for path in (SRC / "core").rglob("*.py"):
        assert _imported_apps(path) <= {"core"}, path


def test_no_stage_imports_a_later_stage():
    later = {stage: set(STAGES[index + 1 :]) for index, stage in enumerate(STAGES)}
    problems = []
    for stage in STAGES:
        for path in (SRC / stage).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            wrong = _imported_apps(path) & later[stage]
            if wrong:
                problems.append(f"{path.relative_to(SRC)} imports {sorted(wrong)}")
    assert not problems, "\n".join(problems)

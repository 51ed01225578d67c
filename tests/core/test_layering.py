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


def test_tasks_are_queued_after_commit_through_core_queueing():
    """A task published straight from an on_commit hook would turn a broker's refusal into an error page after the
    change was committed, and lose the task: every stage queues through core.queueing.queue_after_commit."""
    problems = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            hook = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "on_commit"
            if not hook:
                continue
            published = [
                inner.attr
                for argument in node.args
                for inner in ast.walk(argument)
                if isinstance(inner, ast.Attribute) and inner.attr in {"delay", "apply_async", "send_task"}
            ]
            if published:
                problems.append(f"{path.relative_to(SRC)}:{node.lineno} publishes with {published[0]}")
    assert not problems, "\n".join(problems)

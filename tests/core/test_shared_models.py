"""Every stage's audit trail and uploaded files share one shape (core/models.py) and one way to be written."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from convergence.calls.models import CallEvent
from convergence.core.models import Event, StoredUpload
from convergence.execution.models import ProgressReport, ReportAttachment

from ..conftest import pdf_bytes

SRC = Path(__file__).resolve().parents[2] / "src" / "convergence"
OUR_MODELS = [model for model in apps.get_models() if model.__module__.startswith("convergence.")]


def test_every_audit_trail_is_an_event_with_declared_kinds():
    trails = [model for model in OUR_MODELS if {"actor", "kind", "at"} <= {f.name for f in model._meta.fields}]
    assert len(trails) == 6
    for model in trails:
        assert issubclass(model, Event), model
        assert model.Kind is not Event.__dict__.get("Kind") and len(model.Kind.choices) >= 3, model


def test_every_uploaded_file_is_a_stored_upload():
    uploads = [model for model in OUR_MODELS if "sha256" in {f.name for f in model._meta.fields}]
    assert {model.__name__ for model in uploads} == {
        "Attachment",
        "PublicFile",
        "ReportAttachment",
        "KitFile",
        "MessageAttachment",
    }
    assert all(issubclass(model, StoredUpload) for model in uploads)


def test_no_stage_writes_an_event_but_through_record():
    """`Event.record` checks the kind; a direct create() would skip that check."""
    problems = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"create", "bulk_create", "get_or_create", "update_or_create"}
                and "Event.objects" in ast.unparse(node.func.value)
            ):
                problems.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not problems


def test_record_refuses_a_kind_the_stage_did_not_declare(call, organiser):
    with pytest.raises(ValueError):
        CallEvent.record("renamed", organiser, call=call)
    assert not CallEvent.objects.filter(kind="renamed").exists()


def test_record_writes_who_what_and_details_and_reads_in_the_readers_language(call, organiser):
    event = CallEvent.record(CallEvent.Kind.CLOSED_EARLY, organiser, call=call, details={"planned": "2025-01-01"})
    event.refresh_from_db()
    assert (event.actor, event.kind, event.details) == (organiser, "closed_early", {"planned": "2025-01-01"})
    with translation.override("fr"):
        assert event.get_kind_display() == "Dépôts clos avant la date prévue"
    with translation.override("en"):
        assert event.get_kind_display() == "Applications closed early"
    event.kind = "written_before_declared"
    assert event.get_kind_display() == "written_before_declared"


@pytest.mark.django_db
def test_store_describes_the_upload_and_names_the_file_by_its_digest(completed_edition, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    report = ProgressReport.objects.select_related("label__application__owner").first()
    carrier = report.label.application.owner
    stored = ReportAttachment(report=report).store(
        SimpleUploadedFile("Rapport d'étape.pdf", pdf_bytes("étape")),
        user=carrier,
        stored_name="report.pdf",
        default_name="report.pdf",
    )
    stored.refresh_from_db()
    assert stored.original_name == "Rapport d'étape.pdf"
    assert stored.size == len(pdf_bytes("étape")) and len(stored.sha256) == 64
    assert stored.uploaded_by == carrier and stored.uploaded_at is not None
    assert stored.sha256 in stored.file.name and "étape" not in stored.file.name


def test_event_details_read_as_text_not_as_a_python_dict():
    from convergence.web.templatetags.convergence_tags import event_details

    with translation.override("fr"):
        shown = event_details({"before": None, "after": "labelled", "early": True, "fields": ["title", "trl"]})
    assert shown == "before: — · after: labelled · early: oui · fields: title, trl"
    assert "{" not in shown and event_details({}) == ""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from convergence.calls.models import Call
from convergence.calls.schema import CallFileError, parse_call_definition
from convergence.calls.services import call_load
from tests.conftest import CALL_FILE

PARIS = ZoneInfo("Europe/Paris")


def test_shipped_call_holds_the_programme_facts(real_dates_call):
    call = real_dates_call
    assert call.themes.count() == 5
    assert list(call.domains.values_list("code", flat=True)) == ["health", "ecological-transition", "work", "mobility"]
    assert list(call.formats.values_list("number", flat=True)) == [1, 2, 3]
    assert call.formats.get(number=1).hosts_competition
    assert call.criteria.count() == 4
    assert call.minimum_criteria == 1
    assert call.additional_examination["name"]["en"] == "Coherence and mastery of the implementation process"
    assert len(call.trl_scale) == 9
    assert call.closes_at == datetime(2024, 12, 5, 23, 59, 59, tzinfo=PARIS)
    assert call.opens_at == datetime(2024, 11, 25, tzinfo=PARIS)
    assert call.milestones.get(code="summit").ends_at.date() == date(2025, 2, 11)
    for theme in call.themes.all():
        assert theme.name["fr"] and theme.name["en"]


def test_loading_twice_updates_in_place(real_dates_call):
    text = CALL_FILE.read_text(encoding="utf-8").replace("summary_max_length: 1000", "summary_max_length: 1200")
    call_load(text=text)
    assert Call.objects.count() == 1
    assert Call.objects.get().summary_max_length == 1200
    assert Call.objects.get().themes.count() == 5


def test_demo_mode_puts_the_deadline_two_days_ahead_keeping_the_wall_clock(db):
    call = call_load(text=CALL_FILE.read_text(encoding="utf-8"), demo=True, today=date(2026, 3, 20))
    closes = call.closes_at.astimezone(PARIS)
    assert (closes.date(), closes.hour, closes.minute, closes.second) == (date(2026, 3, 22), 23, 59, 59)
    assert call.is_demo
    # The other steps keep their distance to the deadline.
    committee = call.milestones.get(code="selection-committee").starts_at.astimezone(PARIS)
    assert committee.date() == date(2026, 3, 23)


@pytest.mark.parametrize(
    ("change", "field", "line"),
    [
        (("receipt_prefix: CIA-2024", "receipt_prefix: cia 2024"), "receipt_prefix", 6),
        (("timezone: Europe/Paris", "timezone: Mars/Olympus"), "timezone", 5),
        (("    number: 2\n", "    number: zero\n"), "formats.1.number", None),
        (("minimum_criteria: 1", "minimum_criteria: 1\ncolour: blue"), "colour", None),
    ],
)
def test_invalid_file_names_the_field_and_the_line(change, field, line):
    text = CALL_FILE.read_text(encoding="utf-8").replace(*change, 1)
    with pytest.raises(CallFileError) as caught:
        parse_call_definition(text, "convergence.yaml")
    message = "\n".join(caught.value.problems)
    assert f": {field}:" in message
    marker = change[1].strip().splitlines()[-1]
    expected_line = line or next(n for n, row in enumerate(text.splitlines(), 1) if marker in row)
    assert f"convergence.yaml line {expected_line}:" in message


def test_broken_yaml_is_refused_with_its_line():
    with pytest.raises(CallFileError) as caught:
        parse_call_definition("slug: a\ntitle: {fr: [\n", "bad.yaml")
    assert "bad.yaml line" in caught.value.problems[0]
    assert "not valid YAML" in caught.value.problems[0]


def test_missing_translation_is_refused():
    text = CALL_FILE.read_text(encoding="utf-8").replace(
        '  en: "Convergence IA: call for AI challenges for the AI Action Summit"\n', "", 1
    )
    with pytest.raises(CallFileError) as caught:
        parse_call_definition(text)
    assert "missing: ['en']" in caught.value.problems[0]


def test_load_call_command_reports_errors_without_a_traceback(tmp_path, db):
    bad = tmp_path / "bad.yaml"
    bad.write_text("slug: x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="invalid call file"):
        call_command("load_call", str(bad))
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_call", str(tmp_path / "missing.yaml"))


def test_load_call_command_loads_the_shipped_call(db, capsys):
    call_command("load_call", str(CALL_FILE), "--demo")
    assert "loaded call convergence-ia-2025" in capsys.readouterr().out
    call = Call.objects.get()
    assert call.is_open
    # The demo's calendar moved to this year: its receipt numbers carry the same year.
    assert call.receipt_prefix == f"CIA-{call.opens_at.astimezone(call.tz).year}"


def test_the_same_file_loads_as_another_edition_with_its_own_numbering(db):
    from convergence.calls.schema import CallFileError
    from convergence.calls.services import call_load
    from tests.conftest import CALL_FILE

    text = CALL_FILE.read_text(encoding="utf-8")
    open_edition = call_load(text=text, demo=True)
    past = call_load(text=text, slug="convergence-ia-2024-2025", receipt_prefix="CIA-24E")
    assert past.pk != open_edition.pk and past.receipt_prefix == "CIA-24E"
    assert past.milestones.get(report="interim").report_due_at.isoformat() == "2025-01-15T22:59:59+00:00"
    with pytest.raises(CallFileError) as refused:
        call_load(text=text, slug="Not A Slug")
    assert "slug" in str(refused.value)

"""The demo reads as a real programme: hand-written dossiers and reviews, no placeholder text."""

import re
from pathlib import Path

from convergence.applications.demo import demo_dossiers, seed_demo_applications
from convergence.applications.models import Application
from convergence.applications.rules import country_is_known

SRC = Path(__file__).resolve().parents[2] / "src" / "convergence"
DEMO_TEXTS = [*sorted((SRC / "applications" / "demo_dossiers").glob("*.yaml")), SRC / "review" / "demo_reviews.yaml"]
# Words of the lorem-ipsum family that Faker and others produce; none belongs in French or English prose.
LOREM = {
    "lorem", "ipsum", "dolor", "consectetur", "adipiscing", "eiusmod", "tempor", "incididunt", "labore", "dolore",
    "aliqua", "eligendi", "voluptate", "voluptas", "quisquam", "sint", "occaecat", "cupidatat", "officia", "deserunt",
}  # fmt: skip


def test_demo_texts_contain_no_lorem_ipsum_vocabulary():
    for path in DEMO_TEXTS:
        words = set(re.findall(r"[a-zà-ÿ]+", path.read_text(encoding="utf-8").lower()))
        assert not words & LOREM, f"{path.name}: {sorted(words & LOREM)}"


def test_demo_code_generates_no_text():
    for module in ("applications/demo.py", "review/demo.py", "execution/demo.py"):
        assert "faker" not in (SRC / module).read_text(encoding="utf-8").lower()


def test_hand_written_dossiers_cover_the_call_in_both_languages(call):
    dossiers = [*demo_dossiers("edition"), *demo_dossiers("current")]
    assert len(dossiers) >= 40
    assert len({d["title"] for d in dossiers}) == len(dossiers)
    assert {d["language"] for d in dossiers} == {"fr", "en"}
    assert {t for d in dossiers for t in d["themes"]} == set(call.themes.values_list("code", flat=True))
    assert {x for d in dossiers for x in d["domains"]} == set(call.domains.values_list("code", flat=True))
    assert {d["format"] for d in dossiers} - {None} == set(call.formats.values_list("code", flat=True))
    countries = {d["carrier"]["country"] for d in dossiers} | {p[2] for d in dossiers for p in d["partners"]}
    assert len(countries) >= 12 and all(country_is_known(code) for code in countries)


def test_seeded_dossiers_arrive_over_the_call_and_drafts_stay_drafts(call):
    outcome = seed_demo_applications(call=call, count=len(demo_dossiers("current")))
    drafts = [d for d in demo_dossiers("current") if d.get("draft")]
    assert outcome == {"submitted": len(demo_dossiers("current")) - len(drafts), "draft": len(drafts)}
    submitted = Application.objects.filter(status="submitted")
    assert all(call.opens_at <= a.created_at <= a.submitted_at for a in submitted)
    assert len({a.submitted_at.date() for a in submitted}) > 3
    assert set(Application.objects.filter(status="draft").values_list("title", flat=True)) == {
        d["title"] for d in drafts
    }

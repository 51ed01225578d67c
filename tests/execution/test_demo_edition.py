from pathlib import Path

from django.utils.html import escape

from convergence.execution.demo import seed_completed_edition
from convergence.execution.models import ProgressReport, ShowcaseSlot
from convergence.labels.models import Label

CALL_FILE = Path(__file__).resolve().parents[2] / "calls" / "convergence-ia-2025.yaml"


def test_completed_edition_fills_every_public_page(call, organiser, client, mailoutbox):
    edition = seed_completed_edition(
        text=CALL_FILE.read_text(encoding="utf-8"),
        source=str(CALL_FILE),
        slug="convergence-ia-2024-2025",
        receipt_prefix="CIA-24E",
        organiser=organiser,
    )
    assert edition.closes_at.year == 2024 and call.closes_at.year > 2024
    labels = Label.objects.filter(call=edition)
    assert labels.count() == 12
    assert (
        ProgressReport.objects.filter(label__call=edition, milestone__report="interim", status="submitted").count()
        == 12
    )
    assert ProgressReport.objects.filter(label__call=edition, published_at__isnull=False).count() == 10
    assert ShowcaseSlot.objects.filter(session__call=edition).count() == 12
    assert not [m for m in mailoutbox if "label" in m.subject.lower() or "kit" in m.subject.lower()]
    first = labels.order_by("identifier").first()
    assert first.payload["awarded_on"] == "2024-12-10"
    for url in [
        "/catalogue/",
        f"/catalogue/{first.identifier}/",
        f"/catalogue/{first.identifier}/results/",
        "/programme/",
    ]:
        assert client.get(url).status_code == 200
    assert escape(first.payload["title"]) in client.get("/programme/").content.decode()

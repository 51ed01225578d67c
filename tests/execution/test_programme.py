from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from convergence.execution import showcase
from convergence.execution.showcase import ProgrammeClash
from convergence.labels.models import Label

PARIS = ZoneInfo("Europe/Paris")


def at(day, hour, minute=0):
    return datetime(2025, 2, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def sessions(labelled, organiser):
    call = labelled["call"]
    morning = showcase.session_create(
        call=call, user=organiser, title="Santé", starts_at=at(10, 9), ends_at=at(10, 12), room="Salle Curie"
    )
    other_room = showcase.session_create(
        call=call, user=organiser, title="Climat", starts_at=at(10, 9), ends_at=at(10, 12), room="Salle Lovelace"
    )
    return morning, other_room


def test_a_carrier_in_two_places_at_once_is_refused(labelled, organiser, sessions):
    morning, other_room = sessions
    first = Label.objects.get(identifier="CIA-2024-L001")
    showcase.slot_add(session=morning, user=organiser, label=first, starts_at=at(10, 9), ends_at=at(10, 9, 30))
    with pytest.raises(ProgrammeClash) as refused:
        showcase.slot_add(
            session=other_room, user=organiser, label=first, starts_at=at(10, 9, 15), ends_at=at(10, 9, 45)
        )
    assert "Salle Curie" in str(refused.value.message)
    second = Label.objects.get(identifier="CIA-2024-L002")
    with pytest.raises(ProgrammeClash):
        showcase.slot_add(session=morning, user=organiser, label=second, starts_at=at(10, 9, 20), ends_at=at(10, 9, 50))
    with pytest.raises(ProgrammeClash):
        showcase.slot_add(
            session=morning, user=organiser, label=second, starts_at=at(10, 11, 30), ends_at=at(10, 12, 30)
        )
    showcase.slot_add(session=other_room, user=organiser, label=second, starts_at=at(10, 9), ends_at=at(10, 9, 30))
    showcase.slot_add(session=other_room, user=organiser, label=first, starts_at=at(10, 10), ends_at=at(10, 10, 30))


def test_same_room_twice_is_refused(labelled, organiser, sessions):
    with pytest.raises(ProgrammeClash):
        showcase.session_create(
            call=labelled["call"],
            user=organiser,
            title="x",
            starts_at=at(10, 11),
            ends_at=at(10, 13),
            room="salle curie",
        )


def test_programme_page_ics_and_pdf(labelled, organiser, sessions, client, api_client):
    morning, _ = sessions
    first = Label.objects.get(identifier="CIA-2024-L001")
    showcase.slot_add(session=morning, user=organiser, label=first, starts_at=at(10, 9), ends_at=at(10, 9, 30))
    page = client.get("/programme/").content.decode()
    assert "Détection précoce du paludisme" in page and "Salle Curie" in page
    ics = client.get("/programme.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(ics.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    assert events[0]["SUMMARY"] == "Détection précoce du paludisme"
    assert events[0].decoded("DTSTART") == at(10, 9)
    assert str(events[0]["LOCATION"]) == "Salle Curie"
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert client.get("/programme.pdf").content.startswith(b"%PDF")
    body = api_client.get("/api/v1/programme/").json()
    assert body["sessions"][0]["slots"][0]["label"] == "CIA-2024-L001"


def test_programme_manage_page_shows_clash_message(labelled, organiser, sessions, client):
    morning, other_room = sessions
    first = Label.objects.get(identifier="CIA-2024-L001")
    showcase.slot_add(session=morning, user=organiser, label=first, starts_at=at(10, 9), ends_at=at(10, 9, 30))
    client.force_login(organiser)
    response = client.post(
        f"/programme/manage/{labelled['call'].slug}/",
        {
            "slot": str(other_room.pk),
            f"slot-{other_room.pk}-label": first.pk,
            f"slot-{other_room.pk}-starts_at": "2025-02-10T09:00",
            f"slot-{other_room.pk}-ends_at": "2025-02-10T09:20",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "deux endroits à la fois" in response.content.decode()


def test_empty_programme_is_still_a_valid_calendar(db, client):
    assert Calendar.from_ical(client.get("/programme.ics").content)["VERSION"] == "2.0"


def test_the_manage_page_reads_times_in_the_calls_zone_with_one_form_per_session(
    labelled, organiser, sessions, client, settings
):
    settings.TIME_ZONE = "UTC"  # the server's zone must not matter
    call = labelled["call"]
    call.timezone = "Asia/Tokyo"
    call.save()
    client.force_login(organiser)
    page = client.get(f"/programme/manage/{call.slug}/").content.decode()
    ids = [f'id="id_slot-{session.pk}-label"' for session in sessions]
    assert all(page.count(element_id) == 1 for element_id in ids)
    client.post(
        f"/programme/manage/{call.slug}/",
        {
            "session": "1",
            "session-title": "Tokyo",
            "session-starts_at": "2025-02-11T09:00",
            "session-ends_at": "2025-02-11T10:00",
            "session-room": "Salle Hopper",
        },
    )
    created = call.showcase_sessions.get(title="Tokyo")
    assert created.starts_at == datetime(2025, 2, 11, 0, 0, tzinfo=ZoneInfo("UTC"))  # 09:00 in Tokyo

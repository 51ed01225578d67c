"""Every page of the site, opened in Chromium as the person it serves, in French and English, at 1280 and 390 px.

A page fails on a console error, an uncaught exception, a page or asset answering 4xx/5xx (or not loading), and on
any serious or critical axe-core violation. The pages come from convergence.web.pages.PAGES; test_pages_inventory
fails when a view is in neither PAGES nor NOT_PAGES, so a new page cannot escape this test.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import axe_playwright_python
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from convergence.accounts.models import User
from convergence.applications.models import Application, Submission
from convergence.calls.models import Call
from convergence.competitions.models import Competition
from convergence.labels.models import Label
from convergence.review import services as review
from convergence.review.models import ExpertInvitation
from convergence.web.pages import NOT_PAGES, PAGES, PARTICIPANT, PUBLIC, REVIEWER
from tests.web.test_pages_inventory import page_url_names

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALL_FILE = Path(__file__).resolve().parents[2] / "calls" / "convergence-ia-2025.yaml"
VIEWPORTS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}
LANGUAGES = ["fr", "en"]
BLOCKING_IMPACTS = {"serious", "critical"}
AXE_SCRIPT = Path(axe_playwright_python.__file__).parent / "axe.min.js"
# Swagger UI (a third-party component, declared as not checked in the accessibility statement) nests its
# operation buttons; everything else on that page is held to the same rules.
AXE_EXEMPTIONS = {"api-docs": {"nested-interactive"}}
# Pages that fetch their content after loading (Swagger UI fetches the schema): checked once it has arrived.
LOADS_AFTER_START = {"api-docs": ".opblock"}


@dataclass
class Visit:
    url_name: str
    path: str
    user: User | None


def _seed_programme() -> dict:
    call_command("load_call", str(CALL_FILE), "--demo", verbosity=0)
    call_command("create_demo_accounts", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_committee", "--early-review", verbosity=0)
    call_command("seed_completed_edition", str(CALL_FILE), verbosity=0)
    call_command("seed_demo_competition", verbosity=0)
    current = Call.objects.exclude(slug="convergence-ia-2024-2025").get()
    organiser = User.objects.get(email="organiser@demo.test")
    submitted = Application.objects.filter(call=current, status="submitted").order_by("pk").first()
    assert submitted is not None, "the demo seeds submitted dossiers in the current call"
    # The committee's pages need an assignment: on the past edition, closed and checked for eligibility.
    past = Call.objects.get(slug="convergence-ia-2024-2025")
    member, _ = review.committee_member_invite(
        call=past, email="reviewer1@demo.test", invited_by=organiser, expertise="santé, imagerie"
    )
    reviewed = Application.objects.filter(call=past, eligibility__is_eligible_by_rules=True).order_by("pk").first()
    assignment = review.assignment_add(application=reviewed, member=member, user=organiser)
    label = Label.objects.filter(reports__published_at__isnull=False).order_by("pk").first()
    competition = Competition.objects.order_by("pk").first()  # the flood-risk one (the demo seeds two)
    invitation = ExpertInvitation.objects.filter(application__call=current).get()  # the expert reading a dossier
    return {
        "invitation": invitation,
        "current": current,
        "past": past,
        "reviewed": reviewed,
        "organiser": organiser,
        "applicant_application": submitted,
        "submission": Submission.objects.filter(application=submitted).order_by("number").first(),
        "reviewer": member.user,
        "member": member,
        "assignment": assignment,
        "label": label,
        "competition": competition,
    }


def _visits(data: dict) -> list[Visit]:
    """The address of each page in PAGES, filled in from the seeded programme, and who opens it."""
    current, past, label = data["current"], data["past"], data["label"]
    application, organiser, reviewer = data["applicant_application"], data["organiser"], data["reviewer"]
    carrier, label_carrier = application.owner, label.application.owner
    competition = data["competition"]
    interim = past.milestones.get(report="interim")
    report = label.reports.order_by("pk").first()
    addresses = {
        "home": ((), None),
        "calls:detail": ((current.slug,), None),
        "labels:catalogue": ((), None),
        "labels:catalogue_detail": ((label.identifier,), None),
        "execution:results": ((label.identifier,), None),
        "labels:verify": ((label.identifier,), None),
        "labels:open_data": ((), None),
        "execution:programme": ((), None),
        "competitions:list": ((), None),
        "competitions:detail": ((competition.slug,), None),
        "api-docs": ((), None),
        "site_map": ((), None),
        "accessibility": ((), None),
        "legal_notice": ((), None),
        "personal_data": ((), None),
        "account_login": ((), None),
        "account_signup": ((), None),
        "account_reset_password": ((), None),
        "account_reset_password_done": ((), None),
        "account_email_verification_sent": ((), None),
        "account_change_password": ((), carrier),
        "account_email": ((), carrier),
        "account_logout": ((), carrier),
        "applications:mine": ((), carrier),
        "applications:detail": ((application.pk,), carrier),
        "applications:step": ((application.pk, "challenge"), carrier),
        "applications:submission": ((application.pk, data["submission"].number), carrier),
        "labels:mine": ((label.identifier,), label_carrier),
        "execution:report": ((label.identifier, interim.code), label_carrier),
        "review:home": ((), reviewer),
        "review:profile": ((past.slug,), reviewer),
        "review:conflicts": ((past.slug,), reviewer),
        "review:dossier": ((data["reviewed"].pk,), reviewer),
        "review:review": ((data["assignment"].pk,), reviewer),
        "review:expert_home": ((), data["invitation"].expert),
        "review:expert": ((data["invitation"].pk,), data["invitation"].expert),
        "applications:backoffice_home": ((), organiser),
        "applications:backoffice": ((current.slug,), organiser),
        "applications:backoffice_detail": ((application.pk,), organiser),
        "review:selection": ((past.slug,), organiser),
        "review:eligibility": ((past.slug,), organiser),
        "review:assignments": ((current.slug,), organiser),
        "review:affinity": ((past.slug, data["reviewed"].pk), organiser),
        "review:meeting": ((past.slug,), organiser),
        "insights:dashboard": ((current.slug,), organiser),
        "insights:triage": ((current.slug,), organiser),
        "insights:statistics": ((), None),
        "review:audit": ((past.slug,), organiser),
        "labels:manage": ((past.slug,), organiser),
        "labels:admin": ((label.identifier,), organiser),
        "execution:follow_up": ((past.slug,), organiser),
        "execution:report_detail": ((report.pk,), organiser),
        "execution:programme_manage": ((past.slug,), organiser),
        "competitions:new": ((), organiser),
        "competitions:host": ((competition.slug,), competition.host),
    }
    missing = {page.url_name for page in PAGES} - set(addresses)
    assert not missing, f"give these pages an address in _visits: {sorted(missing)}"
    return [Visit(name, reverse(name, args=args), user) for name, (args, user) in addresses.items()]


def _session_cookie(user: User, live_server) -> dict:
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}


class PageWatch:
    """Collects what goes wrong on a page between two visits: console errors, exceptions, failed files."""

    def __init__(self, page):
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _failed(self, request) -> None:
        # A section a page loads after itself (HTMX) is cut short when the next visit starts: not a failure;
        # one that answers an error is caught by `_response`.
        if request.failure == "net::ERR_ABORTED" and request.headers.get("hx-request"):
            return
        self.problems.append(f"failed: {request.url} {request.failure}")

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status} on {response.url}")

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


def _problems_on(page, watch: PageWatch, url: str, axe_exempt: set[str], loaded_when: str) -> list[str]:
    response = page.goto(url, wait_until="load")
    if loaded_when:
        page.locator(loaded_when).first.wait_for()
    problems = watch.take()
    if response is None or response.status != 200:
        problems.append(f"page answered {response.status if response else 'nothing'}")
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    for violation in results["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS and violation["id"] not in axe_exempt:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            problems.append(f"axe {violation['impact']} {violation['id']}: {violation['help']} ({targets})")
    return problems + watch.take()


def test_every_page_works_for_its_person(browser, live_server):
    data = _seed_programme()
    visits = _visits(data)
    audience_of = {page.url_name: page.audience for page in PAGES}
    by_user: dict[int | None, list[Visit]] = {}
    for visit in visits:
        by_user.setdefault(visit.user.pk if visit.user else None, []).append(visit)
    failures: list[str] = []
    for user_visits in by_user.values():
        user = user_visits[0].user
        for language in LANGUAGES:
            for width, viewport in VIEWPORTS.items():
                context = browser.new_context(locale="fr-FR" if language == "fr" else "en-GB", viewport=viewport)
                # Injected by the browser, not the page: the Content Security Policy stays as users get it.
                context.add_init_script(path=AXE_SCRIPT)
                cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
                if user is not None:
                    cookies.append(_session_cookie(user, live_server))
                context.add_cookies(cookies)
                page = context.new_page()
                watch = PageWatch(page)
                for visit in user_visits:
                    exempt = AXE_EXEMPTIONS.get(visit.url_name, set())
                    url = live_server.url + visit.path
                    for problem in _problems_on(page, watch, url, exempt, LOADS_AFTER_START.get(visit.url_name, "")):
                        where = f"{visit.url_name} [{audience_of[visit.url_name]}, {language}, {width} px]"
                        failures.append(f"{where} {problem}")
                context.close()
    assert not failures, "\n".join(failures)


def test_every_page_listed_is_visited():
    # Who opens what: pages for the public are opened anonymously, others as the person they serve.
    assert {page.url_name for page in PAGES} <= page_url_names()
    assert {page.audience for page in PAGES} >= {PUBLIC, REVIEWER, PARTICIPANT}
    assert not set(NOT_PAGES) & {page.url_name for page in PAGES}

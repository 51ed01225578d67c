"""Every page of the site, for the site map, the accessibility statement and the browser test that visits them all.

A new view must be listed here (a page people read) or in NOT_PAGES (a file, or an action that only answers POST):
tests/browser/test_every_page.py fails on a URL name that is in neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PUBLIC = "public"
APPLICANT = "applicant"
REVIEWER = "reviewer"
EXPERT = "expert"
ORGANISER = "organiser"
PARTICIPANT = "participant"

AUDIENCES = {
    PUBLIC: _("Everyone"),
    APPLICANT: _("Applicants and label holders"),
    REVIEWER: _("Committee members"),
    EXPERT: _("Invited experts"),
    ORGANISER: _("Organisers"),
    PARTICIPANT: _("Competition participants and hosts"),
}


@dataclass(frozen=True)
class Page:
    url_name: str
    title: str | Promise
    audience: str
    in_site_map: bool = True


PAGES = [
    Page("home", _("The call for challenges"), PUBLIC),
    Page("calls:detail", _("A call for challenges"), PUBLIC, in_site_map=False),
    Page("labels:catalogue", _("Catalogue of labelled challenges"), PUBLIC),
    Page("labels:catalogue_detail", _("A labelled challenge"), PUBLIC, in_site_map=False),
    Page("execution:results", _("A challenge's results"), PUBLIC, in_site_map=False),
    Page("labels:verify", _("Verify a label"), PUBLIC, in_site_map=False),
    Page("labels:open_data", _("Open data"), PUBLIC),
    Page("insights:statistics", _("Statistics of the programme"), PUBLIC),
    Page("execution:programme", _("Summit programme"), PUBLIC),
    Page("competitions:list", _("Competitions"), PUBLIC),
    Page("competitions:detail", _("A competition"), PUBLIC, in_site_map=False),
    Page("api-docs", _("API documentation"), PUBLIC),
    Page("site_map", _("Site map"), PUBLIC),
    Page("accessibility", _("Accessibility statement"), PUBLIC),
    Page("legal_notice", _("Legal notice"), PUBLIC),
    Page("personal_data", _("Personal data"), PUBLIC),
    Page("account_login", _("Log in"), PUBLIC),
    Page("account_signup", _("Create an account"), PUBLIC),
    Page("account_reset_password", _("Forgotten password"), PUBLIC),
    Page("account_reset_password_done", _("Password reset sent"), PUBLIC, in_site_map=False),
    Page("account_email_verification_sent", _("Confirm your e-mail address"), PUBLIC, in_site_map=False),
    Page("account_change_password", _("Change your password"), APPLICANT),
    Page("account_email", _("E-mail addresses"), APPLICANT),
    Page("account_logout", _("Log out"), APPLICANT, in_site_map=False),
    Page("applications:mine", _("My dossiers"), APPLICANT),
    Page("applications:detail", _("A dossier"), APPLICANT, in_site_map=False),
    Page("applications:step", _("Editing a dossier, step by step"), APPLICANT, in_site_map=False),
    Page("applications:submission", _("A submitted version"), APPLICANT, in_site_map=False),
    Page("labels:mine", _("My label"), APPLICANT, in_site_map=False),
    Page("execution:report", _("Progress report"), APPLICANT, in_site_map=False),
    Page("review:home", _("Committee: my assignments"), REVIEWER),
    Page("review:profile", _("Committee: my expertise"), REVIEWER, in_site_map=False),
    Page("review:conflicts", _("Committee: my conflicts of interest"), REVIEWER, in_site_map=False),
    Page("review:dossier", _("Committee: a dossier"), REVIEWER, in_site_map=False),
    Page("review:review", _("Committee: a review"), REVIEWER, in_site_map=False),
    Page("review:expert_home", _("Opinions asked of you"), EXPERT),
    Page("review:expert", _("An expert's opinion on a dossier"), EXPERT, in_site_map=False),
    Page("applications:backoffice_home", _("Back-office"), ORGANISER),
    Page("applications:backoffice", _("Back-office: a call's dossiers"), ORGANISER, in_site_map=False),
    Page("applications:backoffice_detail", _("Back-office: a dossier"), ORGANISER, in_site_map=False),
    Page("review:selection", _("Selection"), ORGANISER, in_site_map=False),
    Page("review:eligibility", _("Selection: eligibility"), ORGANISER, in_site_map=False),
    Page("review:assignments", _("Selection: assignments"), ORGANISER, in_site_map=False),
    Page("review:affinity", _("Selection: a dossier's reviewer affinities"), ORGANISER, in_site_map=False),
    Page("review:meeting", _("Selection: committee meeting"), ORGANISER, in_site_map=False),
    Page("insights:dashboard", _("Where the call stands: dashboard"), ORGANISER, in_site_map=False),
    Page("insights:triage", _("Triage of a call: duplicates and themes"), ORGANISER, in_site_map=False),
    Page("review:audit", _("Selection: audit trail"), ORGANISER, in_site_map=False),
    Page("labels:manage", _("Labels and communication kit"), ORGANISER, in_site_map=False),
    Page("labels:admin", _("A label's administration"), ORGANISER, in_site_map=False),
    Page("execution:follow_up", _("Follow-up of labelled challenges"), ORGANISER, in_site_map=False),
    Page("execution:report_detail", _("Follow-up: a report"), ORGANISER, in_site_map=False),
    Page("execution:programme_manage", _("Summit programme: scheduling"), ORGANISER, in_site_map=False),
    Page("competitions:new", _("Host a competition"), PARTICIPANT),
    Page("competitions:host", _("Competition: host's page"), PARTICIPANT, in_site_map=False),
]

# Addresses that are not pages: files, machine-readable documents, and actions that only answer POST.
NOT_PAGES = {
    "applications:attachment": "file",
    "applications:receipt": "PDF",
    "applications:submission_pdf": "PDF",
    "applications:backoffice_export": "CSV / XLSX",
    "applications:create": "POST",
    "applications:attachment_remove": "POST",
    "applications:withdraw": "POST",
    "applications:delete": "POST",
    "applications:messages": "POST",
    "applications:message_attachment": "file",
    "applications:message_share": "POST",
    "applications:completion_create": "POST",
    "applications:completion_cancel": "POST",
    "applications:note_add": "POST",
    "applications:note_remove": "POST",
    "applications:tags": "POST",
    "calls:close": "POST",
    "review:export": "CSV / XLSX",
    "review:eligibility_run": "POST",
    "review:assignment_run": "POST",
    "review:lock": "POST",
    "review:publish": "POST",
    "review:dossier_conflict": "POST",
    "review:expert_invite": "POST",
    "review:expert_revoke": "POST",
    "review:expert_attachment": "file",
    "review:member_attachment": "file",
    "review:shared_attachment": "file",
    "labels:award": "POST",
    "labels:kit_remove": "POST",
    "labels:kit_download": "file",
    "labels:public_key": "PEM",
    "labels:public_key_by_id": "PEM",
    "labels:certificate": "PDF",
    "labels:document": "JSON",
    "labels:open_data_json": "JSON",
    "labels:open_data_csv": "CSV",
    "labels:open_data_schema": "JSON",
    "execution:results_publish": "POST",
    "execution:programme_ics": "ICS",
    "execution:programme_pdf": "PDF",
    "execution:slot_remove": "POST",
    "competitions:file": "file",
    "competitions:select": "POST",
    "competitions:submission": "HTMX fragment (a row of the submissions table)",
    "competitions:submission_file": "CSV",
    "competitions:detailed_results": "HTML written by the host's scoring program, shown in a sandbox",
    "competitions:join": "POST",
    "competitions:team": "POST",
    "competitions:display_name": "POST",
    "competitions:decide": "POST",
    "competitions:submit": "POST",
    "competitions:ground_truth": "POST",
    "competitions:scoring_program": "POST",
    "competitions:columns": "POST",
    "competitions:logo_set": "POST",
    "competitions:solutions": "POST",
    "competitions:bundle": "zip",
    "competitions:logo": "image",
    "competitions:leaderboard_csv": "CSV",
    "insights:csv": "CSV",
    "insights:similar_dossier": "HTMX fragment (a dossier's similar challenges)",
    "insights:duplicates_fragment": "HTMX fragment (the probable duplicates, on the committee's meeting page)",
    "insights:theme_suggestions": "HTMX fragment (the themes an applicant's text suggests)",
    "insights:chart": "SVG / PNG",
    "insights:remind_drafts": "POST",
    "insights:remind_reviewers": "POST",
    "insights:statistics_chart": "SVG / PNG",
    "insights:statistics_csv": "CSV",
    "set_language": "POST",
    "schema": "OpenAPI",
    # allauth's steps reached only from an e-mail link or a login flow this site does not offer.
    "account_inactive": "flow",
    "account_reauthenticate": "flow",
    "account_set_password": "flow",
    "account_confirm_login_code": "flow",
    "account_confirm_email": "e-mail link",
    "account_reset_password_from_key": "e-mail link",
    "account_reset_password_from_key_done": "flow",
}


def pages_by_audience(site_map_only: bool = False) -> list[tuple[str | Promise, list[Page]]]:
    groups: list[tuple[str | Promise, list[Page]]] = []
    for audience, label in AUDIENCES.items():
        pages = [page for page in PAGES if page.audience == audience and (page.in_site_map or not site_map_only)]
        if pages:
            groups.append((label, pages))
    return groups

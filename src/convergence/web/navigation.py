"""The main menu: which items a person sees and which one the current page belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from convergence.accounts.access import user_is_organiser


@dataclass(frozen=True)
class NavItem:
    section: str
    label: str | Promise
    url_name: str


# A page belongs to a section by its view's namespace, unless its full name says otherwise (the label's own pages
# are the carrier's, not the public catalogue's).
SECTION_BY_VIEW = {
    "labels:catalogue": "catalogue",
    "labels:catalogue_detail": "catalogue",
    "labels:open_data": "catalogue",
    "insights:statistics": "catalogue",
    "labels:verify": "catalogue",
    "execution:results": "catalogue",
    "execution:programme": "programme",
    "labels:mine": "dossiers",
    "labels:admin": "backoffice",
    "execution:report": "dossiers",
    "review:home": "committee",
    "review:profile": "committee",
    "review:conflicts": "committee",
    "review:dossier": "committee",
    "review:review": "committee",
}
SECTION_BY_NAMESPACE = {
    "calls": "call",
    "applications": "dossiers",
    "review": "backoffice",
    "labels": "backoffice",
    "execution": "backoffice",
    "competitions": "competitions",
    "insights": "backoffice",
}
SECTION_BY_URL_NAME = {"home": "call", "api-docs": "api"}


def current_section(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.view_name in SECTION_BY_VIEW:
        return SECTION_BY_VIEW[match.view_name]
    if match.view_name.startswith("applications:backoffice"):
        return "backoffice"
    if match.namespace in SECTION_BY_NAMESPACE:
        return SECTION_BY_NAMESPACE[match.namespace]
    return SECTION_BY_URL_NAME.get(match.url_name or "", "")


def menu_items(user) -> list[NavItem]:
    items = [
        NavItem("call", _("The call"), "home"),
        NavItem("catalogue", _("Catalogue"), "labels:catalogue"),
        NavItem("programme", _("Programme"), "execution:programme"),
        NavItem("competitions", _("Competitions"), "competitions:list"),
    ]
    if user.is_authenticated:
        items.append(NavItem("dossiers", _("My dossiers"), "applications:mine"))
    if getattr(user, "is_committee_member", False):
        items.append(NavItem("committee", _("Committee"), "review:home"))
    if user_is_organiser(user):
        items.append(NavItem("backoffice", _("Back-office"), "applications:backoffice_home"))
    items.append(NavItem("api", _("API"), "api-docs"))
    return items


def main_menu(request: HttpRequest) -> list[dict]:
    section = current_section(request)
    return [
        {"label": item.label, "url": reverse(item.url_name), "current": item.section == section}
        for item in menu_items(request.user)
    ]


def landing_url(user) -> str:
    """Where a person lands after logging in: the work their role gives them, not the applicant's list."""
    if user_is_organiser(user):
        return reverse("applications:backoffice_home")
    if getattr(user, "is_committee_member", False):
        return reverse("review:home")
    return reverse("applications:mine")

"""Who may never see which dossier: declared conflicts, and conflicts detected from organisations and email domains."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from django.conf import settings
from django.utils.translation import gettext as _

from convergence.applications.models import Application

from .models import CommitteeMember, Conflict

# Addresses at these providers say nothing about an employer.
PUBLIC_EMAIL_DOMAINS = {
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.fr", "outlook.com", "outlook.fr", "hotmail.com",
    "hotmail.fr", "live.com", "live.fr", "msn.com", "icloud.com", "me.com", "proton.me", "protonmail.com",
    "gmx.com", "gmx.fr", "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "laposte.net", "aol.com", "mail.com",
}  # fmt: skip


def normalise_organisation(name: str) -> str:
    name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name).split())


def email_domain(address: str) -> str:
    """The domain that may reveal an employer; empty for public providers and shared domains."""
    domain = (address or "").rsplit("@", 1)[-1].strip().lower()
    shared = PUBLIC_EMAIL_DOMAINS | set(settings.CONFLICT_SHARED_EMAIL_DOMAINS)
    return "" if domain in shared or "@" not in (address or "") else domain


def dossier_organisations(content: dict) -> set[str]:
    names = {content.get("carrier_name", "")} | {p.get("organisation", "") for p in content.get("partners", [])}
    return {normalise_organisation(name) for name in names} - {""}


def dossier_domains(application: Application, content: dict) -> set[str]:
    return {email_domain(application.owner.email), email_domain(content.get("contact_email", ""))} - {""}


def conflict_reasons(
    members: list[CommitteeMember], applications: list[Application], contents: dict[int, dict]
) -> dict[tuple[int, int], str]:
    """(application id, member id) → reason, for every conflicted pair. Indexed, so large calls stay fast."""
    by_organisation: dict[str, set[int]] = defaultdict(set)
    by_domain: dict[str, set[int]] = defaultdict(set)
    for application in applications:
        content = contents.get(application.pk, {})
        for organisation in dossier_organisations(content):
            by_organisation[organisation].add(application.pk)
        for domain in dossier_domains(application, content):
            by_domain[domain].add(application.pk)
    known = {application.pk for application in applications}
    reasons: dict[tuple[int, int], str] = {}
    declared = Conflict.objects.filter(member__in=members)
    for conflict in declared:
        if conflict.application_id in known:
            reasons[(conflict.application_id, conflict.member_id)] = _("declared by the member")
        elif conflict.organisation:
            for pk in by_organisation.get(normalise_organisation(conflict.organisation), ()):
                reasons.setdefault(
                    (pk, conflict.member_id),
                    _("declared for the organisation %(name)s") % {"name": conflict.organisation},
                )
    for member in members:
        for organisation in {
            normalise_organisation(member.organisation),
            normalise_organisation(member.user.organisation),
        } - {""}:
            for pk in by_organisation.get(organisation, ()):
                reasons.setdefault((pk, member.pk), _("same organisation as the carrier or a partner"))
        domain = email_domain(member.user.email)
        for pk in by_domain.get(domain, ()) if domain else ():
            reasons.setdefault((pk, member.pk), _("same email domain as the applicant"))
    return reasons


def member_is_conflicted(member: CommitteeMember, application: Application, content: dict) -> bool:
    return bool(conflict_reasons([member], [application], {application.pk: content}))

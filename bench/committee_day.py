"""Committee day at scale: from the close of a call to a ranked list, through the services the pages use.

Builds a throw-away platform (SQLite in a temporary directory, or a fresh database `<name>_committee` on
DATABASE_URL's server) holding a closed call with N submitted dossiers and M committee members, made in bulk
(no sign-up, no password hashing: what is measured is the organiser's day). The dossiers' texts mix the call's
themes; carriers and partners come from a pool of organisations some members belong to (conflicts to find);
one dossier in ten claims no criterion (not eligible).

Then times each step as the organiser runs it: eligibility, the read of the submitted contents, affinity
(TF-IDF; with --embeddings also the multilingual model on vectors the worker stored before the day), conflicts,
the optimal assignment (the whole run: affinity, conflicts, solver, writes), the calibrated ranking, and the
publication of the decisions. Reviews and decisions are people's work over days: a sample goes through the
services (a member saving a review, the committee recording a decision) and the rest is written in bulk.
Last, the pages that show these results (eligibility, assignments, meeting) through Django's whole stack.

RESULT committee-day <N>x<M> <step> seconds=…        (one line per step; `total` sums the platform's steps:
                                                    eligibility, assignment, ranking, publication)
RESULT committee-day <N>x<M> page-<name> p50_ms=… queries=… ratio=…   (ratio against the site map, same run)
Usage: python bench/committee_day.py [--dossiers N] [--members M] [--embeddings] [--repeat R]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from throwaway import use_throwaway_platform  # noqa: E402

use_throwaway_platform("committee", eager_tasks=False)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from convergence.accounts.models import User  # noqa: E402
from convergence.applications import completion, instruction  # noqa: E402
from convergence.applications.models import Application, DossierTag, Message, Submission, Tag  # noqa: E402
from convergence.applications.services import content_digest  # noqa: E402
from convergence.calls.models import Call  # noqa: E402
from convergence.review import services  # noqa: E402
from convergence.review.affinity import TfidfAffinity, affinity_model, dossier_text  # noqa: E402
from convergence.review.conflicts import conflict_reasons  # noqa: E402
from convergence.review.models import Assignment, CommitteeMember, Conflict, Decision, Review  # noqa: E402
from convergence.review.selectors import committee, eligible_applications, latest_contents, ranking  # noqa: E402

# Words of each theme's field, in French and English as dossiers mix them; a dossier draws from one or two.
FIELDS = [
    "santé diagnostic imagerie médicale hôpital patients health diagnosis radiology clinical trials",
    "climat biodiversité forêts océans carbone satellites climate emissions wildfire floods",
    "agriculture sols cultures irrigation élevage rendement agriculture crops farming yield",
    "éducation apprentissage élèves enseignants langues education learning students teachers",
    "énergie réseau électrique solaire éolien stockage energy grid solar wind batteries",
    "mobilité transport ville trafic logistique mobility transport urban traffic logistics",
    "langues traduction parole corpus faible ressource translation speech low-resource language",
    "travail emploi compétences inclusion handicap work jobs skills accessibility disability",
]
ORGANISATIONS = [
    f"Institut {name}"
    for name in ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta", "Iota", "Kappa"]
]
ORGANISATIONS += [
    f"University of {city}" for city in ["Dakar", "Lyon", "Montreal", "Pune", "Nairobi", "Warsaw", "Lille", "Tunis"]
]
COUNTRIES = ["FR", "SN", "CI", "MA", "ET", "IN", "US", "CA", "GB", "PL", "DK", "DE", "KE", "TN", "BR"]


def build(dossiers: int, members: int, seed: int = 7) -> tuple[Call, User]:
    """A closed call with `dossiers` submitted dossiers and `members` committee members, in bulk."""
    rng = random.Random(seed)
    call_command("migrate", verbosity=0)
    call_command("load_call", str(ROOT / "calls" / "convergence-ia-2025.yaml"), "--demo", verbosity=0)
    call = Call.objects.get()
    organiser = User.objects.create_user(email="organiser@bench.test", password=None, is_organiser=True)
    themes = list(call.themes.all())
    domains = list(call.domains.all())
    criteria = list(call.criteria.order_by("position"))
    formats = list(call.formats.all())
    owners = User.objects.bulk_create(
        User(email=f"carrier{i}@lab{i % 400}.example", preferred_language="fr") for i in range(dossiers)
    )
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            owner=owner,
            status=Application.Status.SUBMITTED,
            title=f"Défi {i}",
            submitted_at=now,
            format=formats[i % len(formats)],
        )
        for i, owner in enumerate(owners)
    )
    submissions = []
    for i, application in enumerate(applications):
        field = rng.randrange(len(FIELDS))
        words = FIELDS[field].split() + FIELDS[(field + rng.randrange(1, 3)) % len(FIELDS)].split()[:4]
        text = " ".join(rng.choice(words) for _ in range(60))
        chosen = [themes[field % len(themes)], themes[(field + 1) % len(themes)]]
        claims = [] if i % 10 == 9 else rng.sample(criteria, k=rng.randint(1, len(criteria)))
        form = formats[i % len(formats)]
        content = {
            "call": call.slug,
            "reference": application.reference,
            "owner": application.owner.email,
            "title": f"Défi {i} : {' '.join(text.split()[:6])}",
            "summary": text[:300],
            "description": text,
            "trl": rng.randint(2, 8),
            "already_launched": False,
            "expected_results": "Un prototype évalué et un rapport public.",
            "carrier_name": rng.choice(ORGANISATIONS),
            "carrier_type": "research",
            "carrier_country": rng.choice(COUNTRIES),
            "contact_name": f"Porteur {i}",
            "contact_email": application.owner.email,
            "format": {"code": form.code, "name": form.name, "number": form.number},
            "themes": [{"code": t.code, "name": t.name} for t in chosen],
            "domains": [{"code": d.code, "name": d.name} for d in rng.sample(domains, k=1)],
            "partners": [
                {"organisation": rng.choice(ORGANISATIONS), "organisation_type": "company", "country": c, "role": ""}
                for c in rng.sample(COUNTRIES, k=rng.randint(0, 3))
            ],
            "datasets": [],
            "claims": [
                {"code": c.code, "name": c.name, "number": c.number, "justification": "Des partenaires de trois pays."}
                for c in claims
            ],
            "attachments": [],
        }
        submissions.append(
            Submission(
                application=application,
                number=1,
                receipt_number=f"{call.receipt_prefix}-B{i:07d}",
                submitted_at=now,
                submitted_by=application.owner,
                content=content,
                digest=content_digest(content),
            )
        )
    Submission.objects.bulk_create(submissions, batch_size=1000)
    member_users = User.objects.bulk_create(
        User(
            email=f"member{j}@{'uni' + str(j % 40) if j % 5 else 'gmail.com'}.example",
            organisation=ORGANISATIONS[j % len(ORGANISATIONS)] if j % 3 == 0 else "",
        )
        for j in range(members)
    )
    committee_members = CommitteeMember.objects.bulk_create(
        CommitteeMember(
            call=call,
            user=user,
            expertise=" ".join(rng.sample(FIELDS[j % len(FIELDS)].split(), k=6)),
            keywords=" ".join(rng.sample(FIELDS[(j + 3) % len(FIELDS)].split(), k=3)),
            invited_by=organiser,
        )
        for j, user in enumerate(member_users)
    )
    Conflict.objects.bulk_create(
        Conflict(member=member, application=rng.choice(applications), reason="ancien collègue")
        for member in committee_members[::4]
    )
    k = 3
    load = -(-dossiers * k // members)  # ceil: the committee can carry every dossier
    from convergence.review.models import Selection

    Selection.objects.update_or_create(
        call=call, defaults={"reviewers_per_dossier": k, "min_load": 0, "max_load": load + 2}
    )
    Call.objects.filter(pk=call.pk).update(closes_at=now - timedelta(hours=1), opens_at=now - timedelta(days=60))
    call.refresh_from_db()
    return call, organiser


def review_data(call: Call, rng: random.Random, quality: float, bias: float) -> dict:
    def score() -> int:
        return max(0, min(4, round(quality + bias + rng.gauss(0, 0.6))))

    criteria = {
        criterion.code: {"assessment": "met", "score": score(), "justification": "Argumenté dans le dossier."}
        for criterion in call.criteria.all()
    }
    recommendation = "label" if quality > 2.8 else ("maybe" if quality > 1.8 else "no")
    return {
        "criteria": criteria,
        "implementation_score": score(),
        "recommendation": recommendation,
        "confidence": rng.randint(2, 4),
        "comment": "",
    }


class Clock:
    def __init__(self, label: str) -> None:
        self.label = label
        self.seconds: dict[str, float] = {}

    def time(self, step: str, work):
        started = time.perf_counter()
        result = work()
        self.seconds[step] = time.perf_counter() - started
        print(f"{step:<28} {self.seconds[step]:8.2f} s")
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=500)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--embeddings", action="store_true", help="also the multilingual model's affinity")
    parser.add_argument("--sample", type=int, default=200, help="reviews and decisions made one by one")
    parser.add_argument("--repeat", type=int, default=5, help="requests per page")
    parser.add_argument("--profile", action="append", default=[], help="print pyinstrument's tree of STEP")
    args = parser.parse_args()
    started = time.perf_counter()
    call, organiser = build(args.dossiers, args.members)
    label = f"{args.dossiers}x{args.members}"
    print(f"built {label} on {connection.vendor} in {time.perf_counter() - started:.0f} s")
    clock = Clock(label)
    profiled = set(args.profile)

    def step(name, work):
        if name not in profiled:
            return clock.time(name, work)
        from pyinstrument import Profiler

        with Profiler(interval=0.001) as profiler:
            result = clock.time(name, work)
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return result

    step("eligibility", lambda: services.eligibility_check(call=call, user=organiser))
    applications = eligible_applications(call)
    members = list(committee(call))
    contents = step("read-contents", lambda: latest_contents([a.pk for a in applications]))
    texts = [dossier_text(contents[a.pk]) for a in applications]
    profiles = [m.profile_text for m in members]
    step("affinity-tfidf", lambda: TfidfAffinity().scores(texts, profiles))
    if args.embeddings:
        from convergence.insights.triage import embed_changed_texts
        from convergence.review.models import Selection

        Selection.objects.filter(call=call).update(affinity_model="embeddings")  # the worker embeds its texts
        step("embed-texts (worker, before)", embed_changed_texts)
        step("affinity-embeddings", lambda: affinity_model("embeddings").scores(texts, profiles))
        Selection.objects.filter(call=call).update(affinity_model="tfidf")  # the assignment below: TF-IDF
    step("conflicts", lambda: conflict_reasons(members, applications, contents))
    summary = step("assignment", lambda: services.assignment_run(call=call, user=organiser))
    print(f"  {summary}")

    rng = random.Random(11)
    quality = {a.pk: rng.uniform(0.5, 3.8) for a in applications}
    bias = {m.pk: rng.gauss(0, 0.5) for m in members}
    assignments = list(Assignment.objects.filter(application__call=call).select_related("member__user", "application"))
    sampled, bulk = assignments[: args.sample], assignments[args.sample :]

    def save_sample():
        for assignment in sampled:
            data = review_data(call, rng, quality[assignment.application_id], bias[assignment.member_id])
            services.review_save(assignment=assignment, user=assignment.member.user, data=data, submit=True)

    step(f"review-save x{len(sampled)} (people)", save_sample)
    reviews = [
        Review(
            assignment=assignment,
            status=Review.Status.SUBMITTED,
            submitted_at=timezone.now(),
            **review_data(call, rng, quality[assignment.application_id], bias[assignment.member_id]),
        )
        for assignment in bulk
    ]
    for review in reviews:
        review.total_score = review.total  # as Review.save() stores it
    Review.objects.bulk_create(reviews, batch_size=1000)
    rows = step("ranking", lambda: ranking(call))
    ranked = [row for row in rows if row.rank]
    print(f"  {len(ranked)} ranked of {len(rows)}")
    top = max(1, len(ranked) // 10)
    decided = [(row.application, "labelled" if row.rank <= top else "not_selected") for row in ranked]
    by_hand, in_bulk = decided[: args.sample], decided[args.sample :]

    def decide_sample():
        for application, outcome in by_hand:
            services.decision_record(application=application, user=organiser, outcome=outcome, rationale="Comité")

    step(f"decision-record x{len(by_hand)} (people)", decide_sample)
    Decision.objects.bulk_create(
        Decision(application=a, outcome=o, rationale="Comité", decided_by=organiser, decided_at=timezone.now())
        for a, o in in_bulk
    )
    step("publication", lambda: services.decisions_publish(call=call, user=organiser))
    total = sum(clock.seconds[s] for s in ("eligibility", "assignment", "ranking", "publication"))
    print(f"{'total (platform)':<28} {total:8.2f} s")

    chosen = instruct(call, organiser, ranked[0].application)
    client = Client()
    client.force_login(organiser)
    pages = {
        "site-map (baseline)": "/site-map/",
        "backoffice-list": f"/backoffice/calls/{call.slug}/",
        "backoffice-to-follow-up": f"/backoffice/calls/{call.slug}/?follow_up=unread&tag=to-check",
        "backoffice-dossier": f"/backoffice/dossiers/{chosen.pk}/",
        "eligibility": f"/selection/{call.slug}/eligibility/",
        "assignments": f"/selection/{call.slug}/assignments/",
        "meeting": f"/selection/{call.slug}/meeting/",
        "meeting-dossier": f"/selection/{call.slug}/meeting/?dossier={ranked[0].application.pk}",
    }
    if args.embeddings:  # the meeting's duplicates panel, loaded after the page, reads the stored vectors
        pages["meeting-duplicates"] = f"/backoffice/calls/{call.slug}/triage/duplicates/"
    page_lines, baseline = [], None
    for name, url in pages.items():
        assert client.get(url).status_code == 200, name
        durations = []
        for _ in range(args.repeat):
            begun = time.perf_counter()
            response = client.get(url)
            durations.append(time.perf_counter() - begun)
            assert response.status_code == 200, (name, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        median = 1000 * statistics.median(durations)
        baseline = baseline or median
        print(f"page {name:<23} {median:8.1f} ms {len(queries):5d} queries {median / baseline:7.1f}×")
        page_lines.append(
            f"RESULT committee-day {label} page-{name.split()[0]} p50_ms={median:.1f} queries={len(queries)} "
            f"ratio={median / baseline:.1f}"
        )
    for name, seconds in clock.seconds.items():
        print(f"RESULT committee-day {label} {name.split()[0]} seconds={seconds:.3f}")
    print(f"RESULT committee-day {label} total seconds={total:.3f}")
    for line in page_lines:
        print(line)


def instruct(call: Call, organiser: User, chosen: Application) -> Application:
    """The organisers' instruction before the meeting: a tenth of the dossiers with an unread message from their
    applicant and a tag; the chosen one with a thread, notes, tags and a request for completion."""
    some = list(
        Application.objects.filter(call=call).values_list("pk", "owner_id")[: max(1, call.applications.count() // 10)]
    )
    Message.objects.bulk_create(
        Message(application_id=pk, author_id=owner, side="applicant", body="Une question sur le budget.")
        for pk, owner in some
    )
    tag = Tag.objects.create(call=call, label="to-check")
    DossierTag.objects.bulk_create(DossierTag(application_id=pk, tag=tag) for pk, _owner in some)
    instruction.message_send(application=chosen, user=organiser, body="Précisez le budget, s'il vous plaît.")
    instruction.note_add(application=chosen, user=organiser, body="À discuter en séance.", audience="committee")
    instruction.tags_set(application=chosen, user=organiser, labels=["to-check", "budget"])
    completion.completion_request_open(
        application=chosen,
        user=organiser,
        fields=["summary"],
        message="Précisez le budget.",
        due_at=timezone.now() + timedelta(days=2),
    )
    return chosen


if __name__ == "__main__":
    main()

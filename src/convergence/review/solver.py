"""Optimal reviewer assignment.

Every dossier gets exactly k reviewers, every member gets between a minimum and a maximum number of
dossiers, conflicted pairs are never used, and the total affinity is maximal. Solved exactly as a
min-cost flow (OR-Tools): source → dossier (capacity k) → member (capacity 1, cost −affinity) → sink.
Minimum loads use two parallel member → sink arcs: the first, of capacity min_load, carries a bonus
larger than any possible total affinity, so an optimal flow fills every minimum whenever that is
feasible, and among such flows maximises the total affinity.

The fairness option first maximises the affinity of the worst-served dossier, then the total affinity
with that floor kept (a mixed-integer programme solved with HiGHS through SciPy).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ortools.graph.python import min_cost_flow

from convergence.core.errors import DomainError, ErrorCode

SCALE = 1_000_000  # affinities in [0, 1] become integer costs with six decimals


class AssignmentInfeasible(DomainError):
    """The request cannot be met; `reasons` says what is missing, in the user's language."""

    code = ErrorCode.ASSIGNMENT_INFEASIBLE

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(str(reason) for reason in reasons), details={"reasons": [str(r) for r in reasons]})


@dataclass(frozen=True)
class AssignmentProblem:
    affinity: np.ndarray  # dossiers × members, values in [0, 1]
    conflicts: np.ndarray  # dossiers × members, True where the pair is forbidden
    reviewers_per_dossier: int
    min_load: int
    max_load: int
    # Pairs that must stay (reviews already started); they count towards k and the loads.
    fixed: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    # Names for the messages (dossier references, member emails); numbers are used when absent.
    dossier_labels: tuple[str, ...] = ()
    member_labels: tuple[str, ...] = ()

    @property
    def shape(self) -> tuple[int, int]:
        return self.affinity.shape


@dataclass(frozen=True)
class AssignmentSolution:
    pairs: list[tuple[int, int]]  # (dossier index, member index)
    objective: float  # total affinity of the pairs

    def loads(self, members: int) -> list[int]:
        counts = [0] * members
        for _dossier, member in self.pairs:
            counts[member] += 1
        return counts


def infeasibility_reasons(problem: AssignmentProblem) -> list[str]:
    """The reasons that can be named before solving; empty when none is found."""
    dossiers, members = problem.shape
    k = problem.reviewers_per_dossier
    reasons = []
    if problem.min_load > problem.max_load:
        reasons.append(_("The minimum load is larger than the maximum load."))
    if k > members:
        reasons.append(
            _("Each dossier needs %(k)d reviewers but the committee has only %(members)d members.")
            % {"k": k, "members": members}
        )
    needed, offered = dossiers * k, members * problem.max_load
    if needed > offered:
        reasons.append(
            _(
                "%(dossiers)d dossiers × %(k)d reviewers need %(needed)d reviews, but %(members)d members with at "
                "most %(max)d dossiers each offer %(offered)d: invite at least %(more)d more members or raise the "
                "maximum load to %(max_needed)d."
            )
            % {
                "dossiers": dossiers,
                "k": k,
                "needed": needed,
                "members": members,
                "max": problem.max_load,
                "offered": offered,
                "more": -(-(needed - offered) // max(problem.max_load, 1)),
                "max_needed": -(-needed // max(members, 1)),
            }
        )
    if needed < members * problem.min_load:
        reasons.append(
            _(
                "%(members)d members with at least %(min)d dossiers each need %(wanted)d reviews, but there are only "
                "%(needed)d: lower the minimum load to %(min_possible)d."
            )
            % {
                "members": members,
                "min": problem.min_load,
                "wanted": members * problem.min_load,
                "needed": needed,
                "min_possible": needed // max(members, 1),
            }
        )
    short = [d for d in range(dossiers) if members - int(problem.conflicts[d].sum()) < k]
    if short:
        reasons.append(
            ngettext(
                "%(count)d dossier has fewer than %(k)d members without a conflict of interest (%(list)s).",
                "%(count)d dossiers have fewer than %(k)d members without a conflict of interest (%(list)s).",
                len(short),
            )
            % {"count": len(short), "k": k, "list": _names(short, problem.dossier_labels, _("dossier"))}
        )
    idle = [m for m in range(members) if dossiers - int(problem.conflicts[:, m].sum()) < problem.min_load]
    if idle:
        reasons.append(
            ngettext(
                "%(count)d member is in conflict with too many dossiers to reach the minimum load of %(min)d "
                "(%(list)s).",
                "%(count)d members are in conflict with too many dossiers to reach the minimum load of %(min)d "
                "(%(list)s).",
                len(idle),
            )
            % {"count": len(idle), "min": problem.min_load, "list": _names(idle, problem.member_labels, _("member"))}
        )
    return reasons


def _names(indices: list[int], labels: tuple[str, ...], noun: str) -> str:
    shown = [labels[i] if i < len(labels) else f"{noun} {i + 1}" for i in indices[:10]]
    return ", ".join(shown) + (" …" if len(indices) > 10 else "")


def solve_assignment(problem: AssignmentProblem) -> AssignmentSolution:
    """The assignment of maximal total affinity; raises AssignmentInfeasible with the reasons."""
    reasons = infeasibility_reasons(problem)
    if reasons:
        raise AssignmentInfeasible(reasons)
    dossiers, members = problem.shape
    k = problem.reviewers_per_dossier
    fixed_per_dossier = np.zeros(dossiers, dtype=np.int64)
    fixed_per_member = np.zeros(members, dtype=np.int64)
    for d, m in problem.fixed:
        fixed_per_dossier[d] += 1
        fixed_per_member[m] += 1

    costs = np.rint(problem.affinity * SCALE).astype(np.int64)
    allowed = ~problem.conflicts
    for d, m in problem.fixed:
        allowed[d, m] = False  # already counted; never assigned twice
    dossier_index, member_index = np.nonzero(allowed)

    source, sink = dossiers + members, dossiers + members + 1
    need = np.maximum(k - fixed_per_dossier, 0)
    total = int(need.sum())
    min_left = np.maximum(problem.min_load - fixed_per_member, 0)
    max_left = np.maximum(problem.max_load - fixed_per_member, 0)
    min_tier = np.minimum(min_left, max_left)
    bonus = int(costs.max(initial=0)) * max(total, 1) + 1

    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate(
        [
            np.full(dossiers, source),
            dossier_index,
            np.arange(members) + dossiers,
            np.arange(members) + dossiers,
        ]
    )
    heads = np.concatenate(
        [
            np.arange(dossiers),
            member_index + dossiers,
            np.full(members, sink),
            np.full(members, sink),
        ]
    )
    capacities = np.concatenate([need, np.ones(len(dossier_index), dtype=np.int64), min_tier, max_left - min_tier])
    unit_costs = np.concatenate(
        [
            np.zeros(dossiers, dtype=np.int64),
            -costs[dossier_index, member_index],
            np.full(members, -bonus, dtype=np.int64),
            np.zeros(members, dtype=np.int64),
        ]
    )
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, unit_costs)
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise AssignmentInfeasible([_("The assignment solver failed (status %(status)s).") % {"status": status}])
    if flow.maximum_flow() < total:
        raise AssignmentInfeasible(
            [
                _(
                    "Only %(done)d of the %(total)d reviews can be placed with these conflicts of interest and loads: "
                    "raise the maximum load or invite more members."
                )
                % {"done": flow.maximum_flow(), "total": total}
            ]
        )
    member_arcs = arcs[dossiers + len(dossier_index) : dossiers + len(dossier_index) + members]
    if int(flow.flows(member_arcs).sum()) < int(min_tier.sum()):
        raise AssignmentInfeasible(
            [_("The minimum loads cannot all be met with these conflicts of interest: lower the minimum load.")]
        )
    pair_arcs = arcs[dossiers : dossiers + len(dossier_index)]
    used = flow.flows(pair_arcs).astype(bool)
    pairs = sorted(
        set(zip(dossier_index[used].tolist(), member_index[used].tolist(), strict=True)) | set(problem.fixed)
    )
    return AssignmentSolution(pairs=pairs, objective=float(sum(problem.affinity[d, m] for d, m in pairs)))


FAIR_TOLERANCE = 1e-6


def solve_fair_assignment(problem: AssignmentProblem) -> AssignmentSolution:
    """Maximise the worst-served dossier's affinity first, then the total affinity keeping that floor."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix, csr_matrix, hstack

    reasons = infeasibility_reasons(problem)
    if reasons:
        raise AssignmentInfeasible(reasons)
    dossiers, members = problem.shape
    k = problem.reviewers_per_dossier
    allowed = ~problem.conflicts
    dossier_index, member_index = np.nonzero(allowed)
    variables = len(dossier_index)
    values = problem.affinity[dossier_index, member_index]
    columns = np.arange(variables)
    per_dossier = coo_matrix((np.ones(variables), (dossier_index, columns)), shape=(dossiers, variables))
    per_member = coo_matrix((np.ones(variables), (member_index, columns)), shape=(members, variables))
    dossier_affinity = coo_matrix((values, (dossier_index, columns)), shape=(dossiers, variables))
    lower = np.zeros(variables)
    for d, m in problem.fixed:
        lower[np.flatnonzero((dossier_index == d) & (member_index == m))] = 1
    assignment_rows = [
        LinearConstraint(per_dossier, k, k),
        LinearConstraint(per_member, problem.min_load, problem.max_load),
    ]

    # Stage 1: the variables x and a floor t; maximise t with every dossier's affinity at least t.
    no_floor = csr_matrix((dossiers, 1)), csr_matrix((members, 1))
    stage_one = milp(
        c=np.concatenate([np.zeros(variables), [-1.0]]),
        constraints=[
            LinearConstraint(hstack([per_dossier, no_floor[0]]), k, k),
            LinearConstraint(hstack([per_member, no_floor[1]]), problem.min_load, problem.max_load),
            LinearConstraint(hstack([dossier_affinity, -csr_matrix(np.ones((dossiers, 1)))]), 0, np.inf),
        ],
        integrality=np.concatenate([np.ones(variables), [0]]),
        bounds=Bounds(np.concatenate([lower, [0]]), np.concatenate([np.ones(variables), [np.inf]])),
    )
    if not stage_one.success:
        raise AssignmentInfeasible([_("No assignment meets these conflicts of interest and loads.")])
    # Worst-dossier affinities closer than a millionth count as equal: below HiGHS's feasibility tolerance
    # (1e-7) the floor would be kept or not by rounding, and such gaps mean nothing in a similarity.
    floor = stage_one.x[-1] - FAIR_TOLERANCE

    # Stage 2: keep the floor, maximise the total.
    stage_two = milp(
        c=-values,
        constraints=[*assignment_rows, LinearConstraint(dossier_affinity, floor, np.inf)],
        integrality=np.ones(variables),
        bounds=Bounds(lower, np.ones(variables)),
    )
    if not stage_two.success:
        raise AssignmentInfeasible([_("No assignment meets these conflicts of interest and loads.")])
    chosen = stage_two.x > 0.5
    pairs = sorted(zip(dossier_index[chosen].tolist(), member_index[chosen].tolist(), strict=True))
    return AssignmentSolution(pairs=pairs, objective=float(values[chosen].sum()))


def solve_greedy(problem: AssignmentProblem) -> AssignmentSolution:
    """Baseline for the benchmark: best remaining pair first, respecting k, the maximum load and conflicts."""
    dossiers, members = problem.shape
    k = problem.reviewers_per_dossier
    order = np.argsort(-problem.affinity, axis=None, kind="stable")
    per_dossier = np.zeros(dossiers, dtype=np.int64)
    per_member = np.zeros(members, dtype=np.int64)
    pairs = []
    for flat in order:
        d, m = divmod(int(flat), members)
        if problem.conflicts[d, m] or per_dossier[d] >= k or per_member[m] >= problem.max_load:
            continue
        pairs.append((d, m))
        per_dossier[d] += 1
        per_member[m] += 1
    return AssignmentSolution(pairs=sorted(pairs), objective=float(sum(problem.affinity[d, m] for d, m in pairs)))

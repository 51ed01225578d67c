"""Actions of the selection round, one module per concept. Each checks its rule, writes atomically under the
round's lock (`selection.locked_selection`) and leaves a `SelectionEvent`. Reads are in `..selectors`, the
affinity table in `..affinity`."""

from ..affinity import AffinityTable, affinity_table, dossier_text
from .assignment import affinity_set, assignment_add, assignment_remove, assignment_run, selection_settings_update
from .committee import committee_member_invite, conflict_declare, member_profile_update
from .decisions import decision_record, decisions_publish
from .eligibility import REQUIRED_FOR_ELIGIBILITY, eligibility_check, eligibility_override, eligibility_reasons
from .experts import expert_declare, expert_invite, expert_opinion_save, expert_revoke
from .reviews import ASSESSMENTS, review_problems, review_save, reviews_lock

__all__ = [
    "ASSESSMENTS",
    "REQUIRED_FOR_ELIGIBILITY",
    "AffinityTable",
    "affinity_set",
    "affinity_table",
    "assignment_add",
    "assignment_remove",
    "assignment_run",
    "committee_member_invite",
    "conflict_declare",
    "decision_record",
    "decisions_publish",
    "dossier_text",
    "eligibility_check",
    "expert_declare",
    "expert_invite",
    "expert_opinion_save",
    "expert_revoke",
    "eligibility_override",
    "eligibility_reasons",
    "member_profile_update",
    "review_problems",
    "review_save",
    "reviews_lock",
    "selection_settings_update",
]

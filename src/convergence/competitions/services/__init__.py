"""Actions on competitions, one module per concept: hosting, participation, submissions. Every change leaves a
`CompetitionEvent`. Who may act is decided in `..access`, reads are in `..selectors`; the errors are re-exported
here for the pages and the API that catch them."""

from ..access import active_participant
from ..errors import CompetitionError, LimitReached, NotAllowed
from ..selectors import Quota, submission_quota
from .hosting import (
    RESERVED_SLUGS,
    competition_create,
    competition_logo_set,
    ground_truth_upload,
    phase_add,
    phase_columns_set,
    phase_program_set,
    phase_rescore,
    public_file_add,
    solution_add,
    solutions_check,
)
from .participation import (
    competition_join,
    display_name_change,
    participant_decide,
    participant_invite,
    team_create,
    team_join,
    team_leave,
)
from .submissions import leaderboard_changed, stale_submissions_requeue, submission_create, submission_select

__all__ = [
    "RESERVED_SLUGS",
    "CompetitionError",
    "LimitReached",
    "NotAllowed",
    "Quota",
    "active_participant",
    "competition_create",
    "competition_join",
    "display_name_change",
    "ground_truth_upload",
    "leaderboard_changed",
    "participant_decide",
    "participant_invite",
    "phase_add",
    "competition_logo_set",
    "phase_columns_set",
    "phase_program_set",
    "phase_rescore",
    "public_file_add",
    "solution_add",
    "solutions_check",
    "stale_submissions_requeue",
    "submission_create",
    "submission_quota",
    "submission_select",
    "team_create",
    "team_join",
    "team_leave",
]

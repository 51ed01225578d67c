"""REST API of competitions: the public list and leaderboards; joining, submitting and following one's
submissions for participants. Same services and permission rules as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiRequest, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from convergence.web.api_pagination import PAGE_PARAMETERS, paged_response
from convergence.web.api_schema import IMAGES, RESULTS, ZIP, file_types

from . import services
from .access import (
    access_phase_for_host,
    access_submission,
    competition_by_slug,
    hostable_applications,
    is_host,
    may_host,
    own_submissions,
    participant_of,
    private_scores_visible,
    require_host,
    scoring_log_visible,
)
from .bundle import competition_from_bundle
from .models import Competition, Phase
from .selectors import board


class PhaseOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    metric = serializers.CharField()
    max_per_day = serializers.IntegerField()
    max_total = serializers.IntegerField()
    uses_program = serializers.BooleanField(help_text="scored by the host's own program rather than the metric")
    takes_code = serializers.BooleanField(help_text="participants submit code, run by the host's ingestion program")
    score_column = serializers.CharField()
    higher_is_better = serializers.BooleanField()


class CompetitionOutput(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    rules = serializers.CharField()
    participation = serializers.CharField()
    teams_allowed = serializers.BooleanField()
    max_team_size = serializers.IntegerField(allow_null=True)
    logo = serializers.SerializerMethodField(help_text="the address of the competition's logo (a PNG), if it has one")
    phases = PhaseOutput(many=True, source="phases.all")

    def get_logo(self, competition) -> str | None:
        return reverse("competitions:logo", args=[competition.slug]) if competition.logo else None


class SubmissionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    phase = serializers.CharField(source="phase.code")
    status = serializers.CharField()
    error = serializers.CharField()
    public_score = serializers.FloatField(allow_null=True)
    private_score = serializers.SerializerMethodField()
    is_selected = serializers.BooleanField()
    scores = serializers.DictField(
        child=serializers.FloatField(), help_text="every score the host's scoring program wrote (empty otherwise)"
    )
    ingestion_log = serializers.CharField(help_text="what the submitted code printed (code submissions)")
    scoring_log = serializers.SerializerMethodField(
        help_text="what the scoring program printed: for the host, and the participant when the host allows it"
    )
    file_url = serializers.SerializerMethodField(help_text="the predictions as uploaded (author, team and hosts)")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)

    def get_file_url(self, submission) -> str:
        return reverse("competitions:submission_file", kwargs={"pk": submission.pk})

    def get_scoring_log(self, submission) -> str | None:
        request = self.context.get("request")
        if request is not None and scoring_log_visible(request.user, submission):
            return submission.scoring_log
        return None

    def get_private_score(self, submission) -> float | None:
        # Hidden until the phase ends: the private part must not guide the participants.
        request = self.context.get("request")
        if request is not None and private_scores_visible(request.user, submission.phase):
            return submission.private_score
        return None


class SubmissionInput(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class JoinInput(serializers.Serializer):
    accept_rules = serializers.BooleanField()
    display_name = serializers.CharField(
        max_length=40, required=False, default="", allow_blank=True, help_text="shown on the public leaderboard"
    )


class TeamInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=["create", "join", "leave"])
    name = serializers.CharField(max_length=120, required=False, default="")
    code = serializers.CharField(max_length=16, required=False, default="")


class TeamOutput(serializers.Serializer):
    name = serializers.CharField()
    join_code = serializers.CharField(help_text="for the team-mates only: whoever holds it can join")
    members = serializers.SerializerMethodField()

    def get_members(self, team) -> list[str]:
        return [member.user.full_name or member.user.email for member in team.members.select_related("user")]


class LeaderboardLineOutput(serializers.Serializer):
    rank = serializers.IntegerField()
    entrant = serializers.CharField()
    score = serializers.FloatField()
    submissions = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    other_scores = serializers.SerializerMethodField(
        help_text="a program's phase: the scores beside the ranked one, keyed as the program writes them (the "
        "columns the host set, hidden ones for the host only)"
    )

    def get_other_scores(self, line) -> dict[str, float | None]:
        return {key: line.score_of(key) for key in self.context.get("other_keys", ())}


class CompetitionListApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=CompetitionOutput(many=True), parameters=PAGE_PARAMETERS, auth=[])
    def get(self, request):
        competitions = Competition.objects.prefetch_related("phases").order_by("pk")
        return paged_response(request, competitions, lambda page: CompetitionOutput(page, many=True).data)


class CompetitionDetailApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=CompetitionOutput, auth=[])
    def get(self, request, slug: str):
        return Response(CompetitionOutput(competition_by_slug(slug)).data)


class CompetitionJoinApi(APIView):
    @extend_schema(request=JoinInput, responses={200: serializers.DictField()})
    def post(self, request, slug: str):
        competition = competition_by_slug(slug)
        serializer = JoinInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        participant = services.competition_join(
            competition=competition,
            user=request.user,
            accept_rules=serializer.validated_data["accept_rules"],
            display_name=serializer.validated_data["display_name"],
        )
        return Response({"status": participant.status, "display_name": participant.entrant_name})


class MyTeamApi(APIView):
    """The caller's team in a competition: read it, create one, join one with its code, or leave it."""

    @extend_schema(responses={200: TeamOutput, 404: serializers.DictField()})
    def get(self, request, slug: str):
        participant = participant_of(request.user, competition_by_slug(slug))
        if participant is None or participant.team is None:
            return Response({"detail": _("You are not in a team."), "code": "not_found"}, status=404)
        return Response(TeamOutput(participant.team).data)

    @extend_schema(request=TeamInput, responses={200: TeamOutput, 204: None})
    def post(self, request, slug: str):
        competition = competition_by_slug(slug)
        participant = participant_of(request.user, competition)
        if participant is None:
            raise services.NotAllowed(_("Join the competition first."))
        serializer = TeamInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["action"] == "leave":
            services.team_leave(participant=participant)
            return Response(status=204)
        if data["action"] == "create":
            team = services.team_create(participant=participant, name=data["name"])
        else:
            team = services.team_join(participant=participant, code=data["code"])
        return Response(TeamOutput(team).data)


class DisplayNameInput(serializers.Serializer):
    display_name = serializers.CharField(max_length=40, allow_blank=True, help_text="empty: “Participant <number>”")


class MyDisplayNameApi(APIView):
    """The name the caller has on the competition's public leaderboards (a team shows its own name)."""

    @extend_schema(request=DisplayNameInput, responses={200: serializers.DictField()})
    def put(self, request, slug: str):
        participant = services.active_participant(competition=competition_by_slug(slug), user=request.user)
        serializer = DisplayNameInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        participant = services.display_name_change(
            participant=participant, user=request.user, name=serializer.validated_data["display_name"]
        )
        return Response({"display_name": participant.entrant_name})


class SubmissionCreateApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": OpenApiRequest(SubmissionInput, encoding=file_types(file=RESULTS))},
        responses={201: SubmissionOutput},
    )
    def post(self, request, slug: str, phase: str):
        competition = competition_by_slug(slug)
        phase_obj = get_object_or_404(Phase, competition=competition, code=phase)
        services.active_participant(competition=competition, user=request.user)  # who, before what they sent
        serializer = SubmissionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        submission = services.submission_create(
            phase=phase_obj,
            user=request.user,
            upload=serializer.validated_data["file"],
            description=serializer.validated_data["description"],
        )
        submission.refresh_from_db()
        return Response(SubmissionOutput(submission, context={"request": request}).data, status=201)


class MySubmissionsApi(APIView):
    @extend_schema(responses=SubmissionOutput(many=True), parameters=PAGE_PARAMETERS)
    def get(self, request, slug: str):
        competition = competition_by_slug(slug)
        return paged_response(
            request,
            own_submissions(request.user, competition),
            lambda page: SubmissionOutput(page, many=True, context={"request": request}).data,
        )


class SubmissionDetailApi(APIView):
    @extend_schema(responses=SubmissionOutput)
    def get(self, request, submission_id: int):
        submission = access_submission(user=request.user, submission_id=submission_id)
        return Response(SubmissionOutput(submission, context={"request": request}).data)


class LeaderboardApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "private", bool, required=False, description="the private leaderboard, once the phase has ended"
            ),
            *PAGE_PARAMETERS,
        ],
        responses=LeaderboardLineOutput(many=True),
    )
    def get(self, request, slug: str, phase: str):
        competition = competition_by_slug(slug)
        phase_obj = get_object_or_404(Phase, competition=competition, code=phase)
        private = request.query_params.get("private") in ("1", "true")
        if private and not private_scores_visible(request.user, phase_obj):
            return Response(
                {"detail": _("The private leaderboard is revealed when the phase ends."), "code": "not_allowed"},
                status=403,
            )
        table = board(phase_obj, private=private, host=is_host(request.user, competition))
        lines = [line for line, _cells in table.rows]
        keys = [column.key for column in table.others]
        return paged_response(
            request, lines, lambda page: LeaderboardLineOutput(page, many=True, context={"other_keys": keys}).data
        )


class ScoringProgramInput(serializers.Serializer):
    program = serializers.FileField(help_text="a zip with a `metadata` file giving the command (Codabench's format)")
    reference = serializers.FileField(required=False, help_text="a zip of the reference data (input/ref)")
    score_column = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    higher_is_better = serializers.BooleanField(required=False, default=True)
    logs_visible = serializers.BooleanField(required=False, default=False)
    ingestion = serializers.FileField(
        required=False, help_text="a zip: with one, participants submit code, which it runs on the input data"
    )
    input_data = serializers.FileField(required=False, help_text="a zip of the inputs the code reads (input_data)")
    time_limit_seconds = serializers.IntegerField(required=False, min_value=1, allow_null=True, default=None)


class ScoringProgramApi(APIView):
    """The host scores a phase with their own program; every submission of the phase is scored again with it."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": OpenApiRequest(
                ScoringProgramInput, encoding=file_types(program=ZIP, reference=ZIP, ingestion=ZIP, input_data=ZIP)
            )
        },
        responses={200: PhaseOutput},
    )
    def put(self, request, slug: str, phase: str):
        phase_obj = access_phase_for_host(user=request.user, slug=slug, code=phase)  # who, before what they sent
        serializer = ScoringProgramInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        updated = services.phase_program_set(
            phase=phase_obj,
            user=request.user,
            program=data["program"],
            reference=data.get("reference"),
            score_column=data["score_column"],
            higher_is_better=data["higher_is_better"],
            logs_visible=data["logs_visible"],
            ingestion=data.get("ingestion"),
            input_data=data.get("input_data"),
            time_limit_seconds=data["time_limit_seconds"],
        )
        return Response(PhaseOutput(updated).data)


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=60, help_text="the name the scoring program writes in scores.json")
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    precision = serializers.IntegerField(min_value=0, max_value=10, required=False, default=2, help_text="decimals")
    hidden = serializers.BooleanField(required=False, default=False, help_text="shown to the host only")
    computation = serializers.ChoiceField(
        choices=["", "sum", "avg", "min", "max"], required=False, default="", help_text="computed by the platform"
    )
    of = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        default=list,
        help_text="the keys of earlier columns a computed column is made from",
    )


class ColumnsSerializer(serializers.Serializer):
    ranked = serializers.CharField(read_only=True, source="ranked_key", help_text="the score the board ranks on")
    columns = ColumnSerializer(many=True, source="leaderboard_columns", help_text="30 at most")


class ColumnsApi(APIView):
    """The columns of a program's leaderboard (Codabench's `leaderboards[].columns`), for its host."""

    @extend_schema(responses=ColumnsSerializer)
    def get(self, request, slug: str, phase: str):
        return Response(ColumnsSerializer(access_phase_for_host(user=request.user, slug=slug, code=phase)).data)

    @extend_schema(request=ColumnsSerializer, responses=ColumnsSerializer)
    def put(self, request, slug: str, phase: str):
        phase_obj = access_phase_for_host(user=request.user, slug=slug, code=phase)
        serializer = ColumnsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.phase_columns_set(
            phase=phase_obj, user=request.user, columns=serializer.validated_data["leaderboard_columns"]
        )
        return Response(ColumnsSerializer(updated).data)


class SolutionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=["queued", "running", "passed", "failed"])
    error = serializers.CharField()
    scores = serializers.DictField(child=serializers.FloatField())
    log = serializers.CharField(help_text="what the scoring program printed")
    ingestion_log = serializers.CharField(help_text="what the solution's code printed (code submissions)")
    checked_at = serializers.DateTimeField(allow_null=True)


class SolutionInput(serializers.Serializer):
    file = serializers.FileField(help_text="what a participant would submit: results, or code as a zip")
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SolutionsApi(APIView):
    """The host's example solutions of a phase (Codabench's `solutions`), each run through the phase's programs
    as a participant's submission would be; never on the leaderboard."""

    parser_classes = [MultiPartParser]

    @extend_schema(responses=SolutionOutput(many=True))
    def get(self, request, slug: str, phase: str):
        phase_obj = access_phase_for_host(user=request.user, slug=slug, code=phase)
        return Response(SolutionOutput(phase_obj.solutions.all(), many=True).data)

    @extend_schema(
        request={"multipart/form-data": OpenApiRequest(SolutionInput, encoding=file_types(file=RESULTS))},
        responses={201: SolutionOutput},
    )
    def post(self, request, slug: str, phase: str):
        phase_obj = access_phase_for_host(user=request.user, slug=slug, code=phase)
        serializer = SolutionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        solution = services.solution_add(
            phase=phase_obj,
            user=request.user,
            upload=serializer.validated_data["file"],
            name=serializer.validated_data["name"],
        )
        return Response(SolutionOutput(solution).data, status=201)


class LogoInput(serializers.Serializer):
    logo = serializers.FileField(help_text="PNG, JPEG, GIF or WebP, 2 MB at most; kept as a PNG of 400 pixels a side")


class LogoApi(APIView):
    """The competition's logo, for its host: replace it (PUT) or remove it (DELETE)."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": OpenApiRequest(LogoInput, encoding=file_types(logo=IMAGES))},
        responses={200: CompetitionOutput},
    )
    def put(self, request, slug: str):
        competition = competition_by_slug(slug)
        require_host(request.user, competition)
        serializer = LogoInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["logo"]
        updated = services.competition_logo_set(
            competition=competition, user=request.user, data=upload.read(), name=upload.name
        )
        return Response(CompetitionOutput(updated).data)

    @extend_schema(responses={200: CompetitionOutput})
    def delete(self, request, slug: str):
        competition = competition_by_slug(slug)
        require_host(request.user, competition)
        updated = services.competition_logo_set(competition=competition, user=request.user, data=b"", name="")
        return Response(CompetitionOutput(updated).data)


class BundleInput(serializers.Serializer):
    bundle = serializers.FileField(
        help_text="a zip holding competition.yaml (the platform's form, Codabench's or CodaLab's)"
    )
    application = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="the format-1 challenge the competition belongs to"
    )


class BundleImportOutput(serializers.Serializer):
    competition = CompetitionOutput()
    warnings = serializers.ListField(child=serializers.CharField(), help_text="what the platform did not use")


class BundleImportApi(APIView):
    """Create a competition from a bundle, as on the page; what the platform did not use comes back as warnings."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": OpenApiRequest(BundleInput, encoding=file_types(bundle=ZIP))},
        responses={201: BundleImportOutput},
    )
    def post(self, request):
        applications = hostable_applications(request.user)
        if not may_host(request.user, None) and not applications.exists():
            raise PermissionDenied  # who, before what they sent
        serializer = BundleInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        chosen = serializer.validated_data["application"]
        application = applications.filter(pk=chosen).first() if chosen else None
        if chosen and application is None:
            raise NotFound()
        imported = competition_from_bundle(
            user=request.user, data=serializer.validated_data["bundle"].read(), application=application
        )
        return Response(
            BundleImportOutput({"competition": imported.competition, "warnings": imported.warnings}).data, status=201
        )

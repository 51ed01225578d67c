"""REST API of the selection: members (assignments, reviews), organisers (eligibility, assignment, ranking,
decisions) and applicants (their published decision). Same services and permission rules as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from convergence.accounts.access import require_organiser
from convergence.applications.access import access_application_for_owner
from convergence.applications.models import Application
from convergence.calls.access import access_call_for_organiser
from convergence.web.api_pagination import PAGE_PARAMETERS, paged_response

from . import services
from .access import access_assignment_for_member, member_can_read
from .models import Assignment, Decision, Eligibility, Review
from .selectors import (
    MEETING_VIEWS,
    latest_content,
    meeting_ranking,
    published_decision,
    review_of,
    reviews_visible_to_member,
)


class CriterionReviewSerializer(serializers.Serializer):
    assessment = serializers.ChoiceField(choices=["met", "partly", "not_met", ""], required=False, default="")
    score = serializers.IntegerField(min_value=0, max_value=4, allow_null=True, required=False, default=None)
    justification = serializers.CharField(allow_blank=True, required=False, default="", max_length=20000)


class ReviewSerializer(serializers.Serializer):
    criteria = serializers.DictField(child=CriterionReviewSerializer(), required=False, default=dict)
    implementation_score = serializers.IntegerField(
        min_value=0, max_value=4, allow_null=True, required=False, default=None
    )
    recommendation = serializers.ChoiceField(choices=[*Review.Recommendation.values, ""], required=False, default="")
    confidence = serializers.IntegerField(min_value=1, max_value=3, allow_null=True, required=False, default=None)
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=20000)


class ReviewInput(ReviewSerializer):
    submit = serializers.BooleanField(default=False, help_text="true to submit; false saves a draft")


class ReviewOutput(ReviewSerializer):
    status = serializers.CharField()
    total = serializers.FloatField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)


class AssignmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    title = serializers.SerializerMethodField()
    review_status = serializers.SerializerMethodField()

    def get_title(self, assignment) -> str:
        return latest_content(assignment.application).get("title", "")

    def get_review_status(self, assignment) -> str:
        review = review_of(assignment)
        return review.status if review else "todo"


class AssignmentDetailOutput(AssignmentOutput):
    content = serializers.SerializerMethodField()
    review = serializers.SerializerMethodField()
    other_reviews = serializers.SerializerMethodField()

    def get_content(self, assignment) -> dict:
        return latest_content(assignment.application)

    @extend_schema(responses=ReviewOutput(allow_null=True))
    def get_review(self, assignment) -> dict | None:
        review = review_of(assignment)
        return ReviewOutput(review).data if review else None

    @extend_schema(responses=ReviewOutput(many=True))
    def get_other_reviews(self, assignment) -> list[dict]:
        visible = reviews_visible_to_member(member=assignment.member, application=assignment.application)
        return list(ReviewOutput(visible, many=True).data)


class MemberAssignmentsApi(APIView):
    @extend_schema(
        responses=AssignmentOutput(many=True), parameters=PAGE_PARAMETERS, summary="The dossiers assigned to you"
    )
    def get(self, request):
        assignments = Assignment.objects.filter(member__user=request.user).select_related("application", "member")
        # A dossier withdrawn or now in conflict is simply not listed.
        visible = [a for a in assignments if member_can_read(a.member, a.application)]
        return paged_response(request, visible, lambda page: AssignmentOutput(page, many=True).data)


class MemberAssignmentApi(APIView):
    @extend_schema(
        responses=AssignmentDetailOutput,
        summary="An assigned dossier, your review and, once yours is submitted, the others'",
    )
    def get(self, request, assignment_id: int):
        assignment = access_assignment_for_member(user=request.user, assignment_id=assignment_id)
        return Response(AssignmentDetailOutput(assignment).data)


class MemberReviewApi(APIView):
    @extend_schema(request=ReviewInput, responses=ReviewOutput, summary="Save or submit your review")
    def put(self, request, assignment_id: int):
        assignment = access_assignment_for_member(user=request.user, assignment_id=assignment_id)
        payload = ReviewInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        submit = data.pop("submit")
        data["criteria"] = {code: dict(entry) for code, entry in data["criteria"].items()}
        review = services.review_save(assignment=assignment, user=request.user, data=data, submit=submit)
        return Response(ReviewOutput(review).data)


class EligibilityOutput(serializers.Serializer):
    application = serializers.IntegerField(source="application_id")
    is_eligible = serializers.BooleanField()
    is_eligible_by_rules = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    override = serializers.BooleanField(allow_null=True)
    rationale = serializers.CharField()


class EligibilityApi(APIView):
    @extend_schema(
        responses=EligibilityOutput(many=True),
        parameters=PAGE_PARAMETERS,
        summary="Eligibility of the submitted dossiers",
    )
    def get(self, request, slug: str):
        call = access_call_for_organiser(user=request.user, slug=slug)
        rows = Eligibility.objects.filter(application__call=call).order_by("application_id")
        return paged_response(request, rows, lambda page: EligibilityOutput(page, many=True).data)

    @extend_schema(
        request=None, responses=EligibilityOutput(many=True), summary="Check eligibility (after the deadline)"
    )
    def post(self, request, slug: str):
        call = access_call_for_organiser(user=request.user, slug=slug)
        services.eligibility_check(call=call, user=request.user)
        return self.get(request, slug)


class EligibilityOverrideApi(APIView):
    @extend_schema(
        request=inline_serializer(
            "EligibilityOverride", {"eligible": serializers.BooleanField(), "rationale": serializers.CharField()}
        ),
        responses=EligibilityOutput,
        summary="Confirm or override a dossier's eligibility, with a rationale",
    )
    def post(self, request, slug: str, application_id: int):
        call = access_call_for_organiser(user=request.user, slug=slug)
        application = get_object_or_404(Application, pk=application_id, call=call)
        payload: serializers.Serializer = serializers.Serializer(data=request.data)
        payload.fields["eligible"] = serializers.BooleanField()
        payload.fields["rationale"] = serializers.CharField(max_length=2000)
        payload.is_valid(raise_exception=True)
        eligibility = services.eligibility_override(
            application=application, user=request.user, **payload.validated_data
        )
        return Response(EligibilityOutput(eligibility).data)


class AssignmentRunApi(APIView):
    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "AssignmentSummary", {"assignments": serializers.IntegerField(), "objective": serializers.FloatField()}
            )
        },
        summary="Assign reviewers optimally",
    )
    def post(self, request, slug: str):
        call = access_call_for_organiser(user=request.user, slug=slug)
        return Response(services.assignment_run(call=call, user=request.user))


class RankingOutput(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True, help_text="null until the dossier has a submitted review")
    application = serializers.IntegerField(source="application.pk")
    title = serializers.CharField(source="content.title")
    reviews = serializers.SerializerMethodField()
    mean = serializers.FloatField(allow_null=True)
    calibrated = serializers.FloatField(allow_null=True)
    uncertainty = serializers.FloatField(allow_null=True, help_text="standard error of the reviews' mean")
    spread = serializers.FloatField(allow_null=True, help_text="highest minus lowest review score")
    disagreement = serializers.BooleanField()
    unranked_reason = serializers.CharField()
    decision = serializers.CharField(source="decision.outcome", allow_null=True, default=None)

    def get_reviews(self, row) -> int:
        return row.review_count


class RankingApi(APIView):
    @extend_schema(
        responses=RankingOutput(many=True),
        summary="Eligible dossiers ranked by calibrated score",
        parameters=[
            OpenApiParameter(
                "view", OpenApiTypes.STR, enum=list(MEETING_VIEWS), description="all, disputed, undecided"
            ),
            *[OpenApiParameter(key, OpenApiTypes.STR) for key in ("theme", "format", "domain", "country")],
            *PAGE_PARAMETERS,
        ],
    )
    def get(self, request, slug: str):
        call = access_call_for_organiser(user=request.user, slug=slug)
        filters = {key: request.query_params.get(key, "") for key in ("theme", "format", "domain", "country")}
        view = request.query_params.get("view", "all")
        if view not in MEETING_VIEWS:
            raise ValidationError({"view": [_("Choose one of: %(views)s.") % {"views": ", ".join(MEETING_VIEWS)}]})
        # The meeting's kept ranking without the ineligible dossiers it shows last: ranking(call, filters, view).
        rows = [row for row in meeting_ranking(call, filters=filters, view=view) if row.eligible]
        return paged_response(request, rows, lambda page: RankingOutput(page, many=True).data)


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    rationale = serializers.CharField(allow_blank=True, required=False, default="", max_length=4000)


class DecisionApi(APIView):
    @extend_schema(request=DecisionSerializer, responses=DecisionSerializer, summary="Record the decision on a dossier")
    def post(self, request, application_id: int):
        require_organiser(request.user)
        application = get_object_or_404(Application, pk=application_id)
        payload = DecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        decision = services.decision_record(application=application, user=request.user, **payload.validated_data)
        return Response(DecisionSerializer(decision).data)


class PublishApi(APIView):
    @extend_schema(
        request=None,
        responses={200: inline_serializer("Published", {"published": serializers.IntegerField()})},
        summary="Publish the decisions and notify the applicants",
    )
    def post(self, request, slug: str):
        call = access_call_for_organiser(user=request.user, slug=slug)
        return Response({"published": services.decisions_publish(call=call, user=request.user)})


class ApplicantDecisionApi(APIView):
    @extend_schema(responses=DecisionSerializer, summary="The published decision on your dossier")
    def get(self, request, pk: int):
        application = access_application_for_owner(user=request.user, application_id=pk)
        decision = published_decision(application)
        if decision is None:
            return Response(
                {"detail": "No published decision yet.", "code": "not_published"}, status=status.HTTP_404_NOT_FOUND
            )
        return Response(DecisionSerializer(decision).data)

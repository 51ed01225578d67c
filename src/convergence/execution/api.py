"""REST API of execution: progress reports, comments, follow-up and the public programme."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from convergence.calls.i18n import localize
from convergence.calls.models import Call
from convergence.labels.access import access_label_for_carrier
from convergence.web.api_pagination import PAGE_PARAMETERS, paged_response

from . import services, showcase
from .access import access_report, access_report_for_commenter, may_follow, require_follow_up_reader


class KeyFigureSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=200, allow_blank=True)  # type: ignore[assignment]
    value = serializers.CharField(max_length=200, allow_blank=True)


class ReportInput(serializers.Serializer):
    text = serializers.CharField(max_length=20000, allow_blank=True, required=False, default="")
    key_figures = KeyFigureSerializer(many=True, required=False, default=list)
    links = serializers.ListField(child=serializers.CharField(max_length=500), required=False, default=list)
    submit = serializers.BooleanField(default=False, help_text="true hands the report to the committee")


class CommentInput(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class CommentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField(source="author_role", help_text="organiser or committee: carriers never see names")
    text = serializers.CharField()
    at = serializers.DateTimeField()


class ReportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField(source="label.identifier")  # type: ignore[assignment]
    milestone = serializers.CharField(source="milestone.code")
    kind = serializers.CharField(source="milestone.report")
    due_at = serializers.DateTimeField(source="milestone.report_due_at")
    status = serializers.CharField()
    text = serializers.CharField()
    key_figures = KeyFigureSerializer(many=True)
    links = serializers.ListField(child=serializers.CharField())
    submitted_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    comments = CommentOutput(many=True)


class LabelReportsApi(APIView):
    @extend_schema(responses=ReportOutput(many=True))
    def get(self, request, identifier: str):
        label = access_label_for_carrier(user=request.user, identifier=identifier)
        reports = [services.report_for(label=label, milestone=m) for m in services.report_milestones(label.call)]
        return Response(ReportOutput(reports, many=True).data)


class LabelReportApi(APIView):
    def _report(self, request, identifier: str, milestone: str):
        label = access_label_for_carrier(user=request.user, identifier=identifier)
        milestone_obj = get_object_or_404(label.call.milestones.exclude(report=""), code=milestone)
        return services.report_for(label=label, milestone=milestone_obj)

    @extend_schema(responses=ReportOutput)
    def get(self, request, identifier: str, milestone: str):
        return Response(ReportOutput(self._report(request, identifier, milestone)).data)

    @extend_schema(request=ReportInput, responses=ReportOutput)
    def put(self, request, identifier: str, milestone: str):
        report = self._report(request, identifier, milestone)
        serializer = ReportInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.report_save(
            report=report,
            user=request.user,
            text=data["text"],
            key_figures=data["key_figures"],
            links=data["links"],
            submit=data["submit"],
        )
        return Response(ReportOutput(report).data)


class ReportCommentsApi(APIView):
    @extend_schema(responses=CommentOutput(many=True))
    def get(self, request, report_id: int):
        report = access_report(user=request.user, report_id=report_id)
        return Response(CommentOutput(report.comments.select_related("author"), many=True).data)

    @extend_schema(request=CommentInput, responses={201: CommentOutput})
    def post(self, request, report_id: int):
        report = access_report_for_commenter(user=request.user, report_id=report_id)
        serializer = CommentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.report_comment(report=report, user=request.user, text=serializer.validated_data["text"])
        return Response(CommentOutput(comment).data, status=201)


class FollowUpRowOutput(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    title = serializers.CharField()
    milestones = serializers.DictField(child=serializers.ChoiceField(choices=["done", "late", "on_track"]))


class FollowUpApi(APIView):
    @extend_schema(responses=FollowUpRowOutput(many=True), parameters=PAGE_PARAMETERS)
    def get(self, request, slug: str):
        call = get_object_or_404(Call, slug=slug)
        require_follow_up_reader(user=request.user, call=call)
        rows = [
            {
                "label": label.identifier,
                "title": label.payload["title"],
                "milestones": {status.milestone.code: status.state for status in statuses},
            }
            for label, statuses in services.follow_up_rows(call)
            if may_follow(user=request.user, label=label)
        ]
        return paged_response(request, rows, lambda page: FollowUpRowOutput(page, many=True).data)


class SlotOutput(serializers.Serializer):
    label = serializers.CharField(source="label.identifier")  # type: ignore[assignment]
    title = serializers.SerializerMethodField()
    carrier = serializers.SerializerMethodField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()

    def get_title(self, slot) -> str:
        return slot.label.payload["title"]

    def get_carrier(self, slot) -> str:
        return slot.label.payload["carrier"]


class SessionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    room = serializers.CharField()
    theme = serializers.SerializerMethodField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    slots = SlotOutput(many=True, source="slots.all")

    def get_theme(self, session) -> str | None:
        return session.theme.code if session.theme else None


class ProgrammeOutput(serializers.Serializer):
    call = serializers.CharField(allow_null=True)
    title = serializers.CharField(allow_blank=True)
    sessions = SessionOutput(many=True)


class ProgrammeApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        parameters=[OpenApiParameter("call", str, required=False, description="call identifier; default: latest")],
        responses=ProgrammeOutput,
        auth=[],
    )
    def get(self, request):
        slug = request.query_params.get("call", "")[:80]
        call = Call.objects.filter(slug=slug).first() if slug else showcase.programme_call()
        sessions = showcase.programme(call) if call else []
        return Response(
            ProgrammeOutput(
                {
                    "call": call.slug if call else None,
                    "title": localize(call.title) if call else "",
                    "sessions": sessions,
                }
            ).data
        )

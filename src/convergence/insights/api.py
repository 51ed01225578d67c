"""The dashboard's figures as JSON: the same tables as the page and its CSV files (organisers only)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from convergence.calls.access import access_call_for_organiser
from convergence.labels.selectors import catalogue_items
from convergence.web.api_pagination import PAGE_PARAMETERS, paged_response

from . import triage
from .access import access_similar_for_reader
from .dashboard import call_tables


class TableOutput(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))


class CallInsightsApi(APIView):
    @extend_schema(responses=TableOutput(many=True), summary="Where a call stands: the dashboard's tables")
    def get(self, request, slug: str):
        call = access_call_for_organiser(user=request.user, slug=slug)
        tables = [
            {"key": t.key, "title": t.title, "columns": [str(c) for c in t.columns], "rows": [list(r) for r in t.rows]}
            for t in call_tables(call).values()
        ]
        return Response(TableOutput(tables, many=True).data)


class ChallengeOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["dossier", "label"], help_text="a dossier of the call, or a label")
    reference = serializers.CharField(help_text="the dossier's reference, or the label's identifier")
    title = serializers.CharField()
    summary = serializers.CharField()
    call = serializers.CharField(help_text="the call's slug")
    id = serializers.SerializerMethodField(help_text="the dossier's id (null for a public catalogue entry)")

    def get_id(self, challenge) -> int | None:
        return challenge.pk or None


class DuplicatePairOutput(serializers.Serializer):
    first = ChallengeOutput()
    second = ChallengeOutput()
    similarity = serializers.FloatField(help_text="cosine similarity of the two texts, 0 to 1")
    against_past_edition = serializers.BooleanField(help_text="the second is a challenge labelled in another edition")


class SimilarOutput(serializers.Serializer):
    challenge = ChallengeOutput()
    similarity = serializers.FloatField()


class ThemeSuggestionOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    score = serializers.FloatField()
    description_similarity = serializers.FloatField(help_text="how close the text is to the theme's description")
    examples = SimilarOutput(many=True, help_text="the labelled examples of the theme closest to the text")


class ThemeReviewOutput(serializers.Serializer):
    dossier = ChallengeOutput()
    declared = serializers.ListField(child=serializers.CharField(), help_text="the themes the carrier chose")
    suggestions = ThemeSuggestionOutput(many=True, help_text="the two themes the text suggests first")
    differs = serializers.BooleanField(help_text="the first suggestion is none of the themes chosen")


class DuplicatesApi(APIView):
    @extend_schema(
        responses=DuplicatePairOutput(many=True),
        parameters=PAGE_PARAMETERS,
        summary="Probable duplicates among a call's dossiers",
    )
    def get(self, request, slug: str):
        call = access_call_for_organiser(user=request.user, slug=slug)
        pairs = triage.near_duplicates(call)
        return paged_response(request, pairs, lambda page: DuplicatePairOutput(page, many=True).data)


class ThemeReviewApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "differs",
                bool,
                required=False,
                description="only the dossiers whose text suggests first a theme their carrier did not choose",
            ),
            *PAGE_PARAMETERS,
        ],
        responses=ThemeReviewOutput(many=True),
        summary="The themes a call's dossiers chose, and those their texts suggest",
    )
    def get(self, request, slug: str):
        call = access_call_for_organiser(user=request.user, slug=slug)
        rows = triage.theme_review(call)
        if request.query_params.get("differs") in ("1", "true"):
            rows = [row for row in rows if row.differs]
        return paged_response(request, rows, lambda page: ThemeReviewOutput(page, many=True).data)


class SimilarToDossierApi(APIView):
    @extend_schema(responses=SimilarOutput(many=True), summary="The challenges closest to a dossier")
    def get(self, request, application_id: int):
        application, may_read = access_similar_for_reader(user=request.user, application_id=application_id)
        return Response(SimilarOutput(triage.similar_to_dossier(application, may_read=may_read), many=True).data)


class SimilarInCatalogueApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=SimilarOutput(many=True), summary="The labelled challenges closest to one", auth=[])
    def get(self, request, identifier: str):
        if not any(item.entry["identifier"] == identifier for item in catalogue_items()):
            raise Http404
        return Response(SimilarOutput(triage.similar_in_catalogue(identifier), many=True).data)


class SemanticSearchApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("q", str, required=True, description="words, in French or in English")],
        responses=SimilarOutput(many=True),
        summary="Labelled challenges close in meaning to a query, in any language (the ten closest)",
        auth=[],
    )
    def get(self, request):
        if "q" not in request.query_params:
            raise ValidationError({"q": [_("Give the words to search for.")]})
        query = request.query_params["q"].strip()[:200]  # empty: nothing to search, no result
        return Response(SimilarOutput(triage.search(query, triage.public_labelled(), limit=10), many=True).data)

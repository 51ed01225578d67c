"""The dashboard's figures as JSON: the same tables as the page and its CSV files (organisers only)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from convergence.calls.access import access_call_for_organiser

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

"""REST API of labels, the kit and the public catalogue. Same services and permission rules as the pages."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from convergence.accounts.access import require_organiser, user_is_organiser
from convergence.applications.models import Application
from convergence.web.api_pagination import PAGE_PARAMETERS, paged_response

from . import services
from .access import access_kit_file, access_label_for_carrier, kit_files_for
from .certificate import certificate_pdf
from .models import Label
from .selectors import CatalogueFilters, catalogue, label_verification, public_entry


class LabelAwardInput(serializers.Serializer):
    application = serializers.IntegerField(min_value=1)


class LabelRevokeInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class VerificationOutput(serializers.Serializer):
    identifier = serializers.CharField()
    status = serializers.ChoiceField(choices=["valid", "revoked", "unknown"])
    title = serializers.CharField(required=False)
    carrier = serializers.CharField(required=False)
    awarded_on = serializers.DateField(required=False)
    revoked_on = serializers.DateField(required=False)
    revoked_reason = serializers.CharField(required=False)


class KitFileOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    download = serializers.SerializerMethodField()

    def get_download(self, kit_file) -> str:
        return f"/api/v1/kit/{kit_file.pk}/download/"


class LabelOutput(serializers.Serializer):
    identifier = serializers.CharField()
    application = serializers.IntegerField(source="application_id")
    status = serializers.CharField()
    awarded_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoked_reason = serializers.CharField()
    payload = serializers.JSONField()
    signature = serializers.CharField()
    key_id = serializers.CharField()
    public_fields = serializers.ListField(child=serializers.CharField())


class CatalogueEntryOutput(serializers.Serializer):
    identifier = serializers.CharField()
    call = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_null=True)
    description = serializers.CharField(allow_null=True)
    expected_results = serializers.CharField(allow_null=True)
    trl = serializers.IntegerField(allow_null=True)
    carrier_name = serializers.CharField()
    carrier_country = serializers.CharField()
    partner_countries = serializers.ListField(child=serializers.CharField())
    partners = serializers.JSONField(allow_null=True)
    datasets = serializers.JSONField(allow_null=True)
    themes = serializers.JSONField()
    domains = serializers.JSONField()
    format = serializers.JSONField(allow_null=True)
    awarded_on = serializers.DateField()


class LabelVerifyApi(APIView):
    """Public: is this label valid, revoked or unknown? Any identifier gets an answer, never an error."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=VerificationOutput, auth=[])
    def get(self, request, identifier: str):
        verification = label_verification(identifier)
        body = {"identifier": identifier, "status": verification.status}
        label = verification.label
        if label is not None:
            body.update(
                title=label.payload["title"], carrier=label.payload["carrier"], awarded_on=label.payload["awarded_on"]
            )
            if label.revoked_at:
                body.update(revoked_on=label.revoked_at.date().isoformat(), revoked_reason=label.revoked_reason)
        return Response(body)


class LabelListApi(APIView):
    @extend_schema(responses=LabelOutput(many=True), parameters=PAGE_PARAMETERS)
    def get(self, request):
        labels = (
            Label.objects.all()
            if user_is_organiser(request.user)
            else Label.objects.filter(application__owner=request.user)
        )
        return paged_response(request, labels.order_by("identifier"), lambda page: LabelOutput(page, many=True).data)


class LabelAwardApi(APIView):
    @extend_schema(request=LabelAwardInput, responses={201: LabelOutput})
    def post(self, request):
        require_organiser(request.user)
        serializer = LabelAwardInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = get_object_or_404(Application, pk=serializer.validated_data["application"])
        label = services.label_award(application=application, user=request.user)
        return Response(LabelOutput(label).data, status=201)


class LabelDetailApi(APIView):
    @extend_schema(
        responses=inline_serializer("LabelDetailOutput", {"label": LabelOutput(), "kit": KitFileOutput(many=True)})
    )
    def get(self, request, identifier: str):
        label = access_label_for_carrier(user=request.user, identifier=identifier)
        return Response(
            {
                "label": LabelOutput(label).data,
                "kit": KitFileOutput(kit_files_for(user=request.user, label=label), many=True).data,
            }
        )


class LabelRevokeApi(APIView):
    @extend_schema(request=LabelRevokeInput, responses=LabelOutput)
    def post(self, request, identifier: str):
        require_organiser(request.user)
        label = get_object_or_404(Label, identifier=identifier)
        serializer = LabelRevokeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        label = services.label_revoke(label=label, user=request.user, reason=serializer.validated_data["reason"])
        return Response(LabelOutput(label).data)


class LabelCertificateApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, identifier: str):
        label = access_label_for_carrier(user=request.user, identifier=identifier)
        response = HttpResponse(certificate_pdf(label), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{label.identifier}.pdf"'
        return response


class KitDownloadApi(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, kit_file_id: int):
        kit_file, label = access_kit_file(user=request.user, kit_file_id=kit_file_id)
        services.kit_download_record(kit_file=kit_file, user=request.user, label=label)
        return FileResponse(
            kit_file.file.open("rb"), as_attachment=True, filename=f"kit-{kit_file.pk}.{kit_file.extension}"
        )


CATALOGUE_PARAMETERS = [
    OpenApiParameter(name, str, required=False, description=description)
    for name, description in [
        ("q", "words searched in title, summary, carrier and identifier (accents ignored)"),
        ("call", "call identifier (edition)"),
        ("theme", "theme code"),
        ("domain", "priority domain code"),
        ("format", "format number"),
        ("country", "ISO 3166-1 alpha-2 country of the carrier or a partner"),
    ]
]


class CatalogueApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        parameters=[*CATALOGUE_PARAMETERS, *PAGE_PARAMETERS], responses=CatalogueEntryOutput(many=True), auth=[]
    )
    def get(self, request):
        params = request.query_params
        filters = CatalogueFilters(
            query=params.get("q", "")[:200],
            call=params.get("call", "")[:80],
            theme=params.get("theme", "")[:60],
            domain=params.get("domain", "")[:60],
            format=params.get("format", "")[:4],
            country=params.get("country", "")[:2],
        )
        entries = [item.entry for item in catalogue(filters)]
        return paged_response(request, entries, lambda page: CatalogueEntryOutput(page, many=True).data)


class CatalogueEntryApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=CatalogueEntryOutput, auth=[])
    def get(self, request, identifier: str):
        verification = label_verification(identifier)
        if verification.status != "valid" or verification.label is None:
            return Response({"detail": _("Not found."), "code": "not_found"}, status=404)
        return Response(CatalogueEntryOutput(public_entry(verification.label)).data)

"""REST API for applicants: thin views, explicit input and output serializers, the same services as the pages."""

from __future__ import annotations

import pycountry
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiRequest,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from convergence.calls.models import Call
from convergence.web.api_pagination import PAGE_PARAMETERS, paged_response
from convergence.web.api_schema import PDF, file_types

from . import services
from .access import access_application_for_owner, access_submission
from .errors import InvalidApplicationData
from .models import Application, OrganisationType
from .receipts import receipt_response
from .rules import country_is_known
from .selectors import applications_of_owner

COUNTRY_CODES = sorted(country.alpha_2 for country in pycountry.countries)


# The schema lists the codes (either case), so that a client knows which it may send.
@extend_schema_field({"type": "string", "enum": COUNTRY_CODES + [code.lower() for code in COUNTRY_CODES]})
class CountryField(serializers.CharField):
    """An ISO 3166 alpha-2 code, stored upper-case whatever the case sent ("fr" becomes "FR")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        value = super().to_internal_value(data).upper()
        if value and not country_is_known(value):
            raise serializers.ValidationError(_("Unknown country code (ISO 3166 alpha-2 expected, e.g. FR)."))
        return value


@extend_schema_field({"type": "string", "enum": ["", *COUNTRY_CODES, *(code.lower() for code in COUNTRY_CODES)]})
class OptionalCountryField(CountryField):
    """A country code, or empty (not given yet)."""


class PartnerSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=200)
    organisation_type = serializers.ChoiceField(choices=OrganisationType.choices)
    country = CountryField(min_length=2)
    role = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


class DatasetSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    origin_country = CountryField(min_length=2)
    licence = serializers.CharField(max_length=120, allow_blank=True, required=False, default="")


class ClaimSerializer(serializers.Serializer):
    criterion = serializers.SlugField(help_text="code of a criterion of the call")
    justification = serializers.CharField(allow_blank=True, max_length=20000)


class ApplicationFieldsInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True, required=False)
    summary = serializers.CharField(allow_blank=True, required=False, max_length=20000)
    description = serializers.CharField(allow_blank=True, required=False, max_length=100000)
    themes = serializers.ListField(child=serializers.SlugField(), required=False, max_length=20)
    domains = serializers.ListField(child=serializers.SlugField(), required=False, max_length=20)
    format = serializers.SlugField(allow_null=True, required=False)
    trl = serializers.IntegerField(min_value=1, max_value=9, allow_null=True, required=False)
    already_launched = serializers.BooleanField(required=False)
    launched_on = serializers.DateField(allow_null=True, required=False)
    expected_results = serializers.CharField(allow_blank=True, required=False, max_length=20000)
    carrier_name = serializers.CharField(max_length=200, allow_blank=True, required=False)
    carrier_type = serializers.ChoiceField(choices=OrganisationType.choices, allow_blank=True, required=False)
    carrier_country = OptionalCountryField(allow_blank=True, required=False)
    contact_name = serializers.CharField(max_length=200, allow_blank=True, required=False)
    contact_email = serializers.EmailField(allow_blank=True, required=False)
    contact_phone = serializers.CharField(max_length=40, allow_blank=True, required=False)
    partners = PartnerSerializer(many=True, required=False)
    datasets = DatasetSerializer(many=True, required=False)
    claims = ClaimSerializer(many=True, required=False)


class ApplicationCreateInput(ApplicationFieldsInput):
    call = serializers.SlugField()


class ApplicationUpdateInput(ApplicationFieldsInput):
    version = serializers.IntegerField(
        min_value=1, help_text="the version you read; a save from an older version is refused with 409"
    )


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False)


class AttachmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class SubmissionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    receipt_number = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    digest = serializers.CharField()
    pdf_url = serializers.SerializerMethodField()

    def get_pdf_url(self, submission) -> str:
        return reverse("api:receipt-pdf", kwargs={"submission_id": submission.pk})


class ApplicationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    call = serializers.CharField(source="call.slug")
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Application.Status.choices)
    version = serializers.IntegerField()
    has_unsubmitted_changes = serializers.BooleanField()
    title = serializers.CharField()
    summary = serializers.CharField()
    description = serializers.CharField()
    themes = serializers.SerializerMethodField()
    domains = serializers.SerializerMethodField()
    format = serializers.CharField(source="format.code", allow_null=True, default=None)
    trl = serializers.IntegerField(allow_null=True)
    already_launched = serializers.BooleanField()
    launched_on = serializers.DateField(allow_null=True)
    expected_results = serializers.CharField()
    carrier_name = serializers.CharField()
    carrier_type = serializers.CharField()
    carrier_country = serializers.CharField()
    contact_name = serializers.CharField()
    contact_email = serializers.CharField()
    contact_phone = serializers.CharField()
    partners = PartnerSerializer(many=True)
    datasets = DatasetSerializer(many=True)
    claims = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    submissions = SubmissionOutput(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)

    def get_themes(self, application) -> list[str]:
        return [theme.code for theme in application.themes.all()]

    def get_domains(self, application) -> list[str]:
        return [domain.code for domain in application.domains.all()]

    def get_claims(self, application) -> list[dict[str, str]]:
        return [
            {"criterion": claim.criterion.code, "justification": claim.justification}
            for claim in application.claims.select_related("criterion")
        ]

    @extend_schema(responses=AttachmentOutput(many=True))
    def get_attachments(self, application) -> list[dict]:
        return list(AttachmentOutput(application.attachments.filter(removed_at__isnull=True), many=True).data)


def changes_from_input(call: Call, data: dict) -> dict:
    """Turn the call's codes in the payload into the call's objects; unknown codes are field errors."""
    items = services.call_items_by_code(call)
    changes = {key: value for key, value in data.items() if key not in ("call", "version")}
    errors: dict[str, list[str]] = {}

    def resolve(field: str, table: str, codes: list[str]) -> list:
        unknown = [code for code in codes if code not in items[table]]
        if unknown:
            errors.setdefault(field, []).append(str(_("Unknown code(s): %(codes)s.") % {"codes": ", ".join(unknown)}))
        return [items[table][code] for code in codes if code in items[table]]

    for field in ("themes", "domains"):
        if field in changes:
            changes[field] = resolve(field, field, list(dict.fromkeys(changes[field])))
    if "format" in changes:
        changes["format"] = (
            (resolve("format", "formats", [changes["format"]]) or [None])[0] if changes["format"] else None
        )
    if "claims" in changes:
        codes = [claim["criterion"] for claim in changes["claims"]]
        criteria = resolve("claims", "criteria", codes)
        by_code = {criterion.code: criterion for criterion in criteria}
        changes["claims"] = {
            by_code[claim["criterion"]]: claim["justification"]
            for claim in changes["claims"]
            if claim["criterion"] in by_code
        }
    for field in ("partners", "datasets"):
        if field in changes:
            changes[field] = [dict(item) for item in changes[field]]
    if errors:
        raise InvalidApplicationData(field_errors=errors)
    return changes


def _output(application: Application) -> dict:
    application = Application.objects.prefetch_related("themes", "domains", "partners", "datasets", "submissions").get(
        pk=application.pk
    )
    return ApplicationOutput(application).data


class ApplicationListApi(APIView):
    parser_classes = [JSONParser]  # a dossier holds lists of objects (partners, claims): JSON only

    @extend_schema(responses=ApplicationOutput(many=True), parameters=PAGE_PARAMETERS, summary="Your dossiers")
    def get(self, request):
        applications = applications_of_owner(user=request.user).prefetch_related(
            "themes", "domains", "partners", "datasets"
        )
        return paged_response(request, applications, lambda page: ApplicationOutput(page, many=True).data)

    @extend_schema(request=ApplicationCreateInput, responses={201: ApplicationOutput}, summary="Start a dossier")
    def post(self, request):
        payload = ApplicationCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        call = Call.objects.filter(slug=payload.validated_data["call"], is_published=True).first()
        if call is None:  # the call the body names does not exist: not found, as an unknown address
            return Response(
                {"detail": _("Unknown call."), "code": "not_found", "errors": {"call": [_("Unknown call.")]}},
                status=status.HTTP_404_NOT_FOUND,
            )
        changes = changes_from_input(call, payload.validated_data)
        application = services.application_create(call=call, user=request.user, changes=changes)
        return Response(_output(application), status=status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(responses=ApplicationOutput, summary="One of your dossiers")
    def get(self, request, pk: int):
        application = access_application_for_owner(user=request.user, application_id=pk)
        return Response(_output(application))

    @extend_schema(
        request=ApplicationUpdateInput,
        responses={200: ApplicationOutput, 409: OpenApiResponse(description="stale version or deadline passed")},
        summary="Change your dossier (draft or submitted, until the deadline)",
    )
    def patch(self, request, pk: int):
        application = access_application_for_owner(user=request.user, application_id=pk)
        payload = ApplicationUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        changes = changes_from_input(application.call, payload.validated_data)
        application = services.application_update(
            application=application,
            user=request.user,
            expected_version=payload.validated_data["version"],
            changes=changes,
        )
        return Response(_output(application))


IDEMPOTENCY_KEY_MAX_LENGTH = 255


class ApplicationSubmitApi(APIView):
    @extend_schema(
        request=VersionInput,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Any unique string (a UUID): a retry with the same key gets the same receipt back.",
            )
        ],
        responses={
            201: SubmissionOutput,
            200: OpenApiResponse(
                SubmissionOutput,
                description="already submitted: the receipt given by the first request (header Idempotent-Replayed)",
            ),
            400: OpenApiResponse(description="incomplete: errors per field"),
        },
        summary="Submit your dossier and get a receipt",
    )
    def post(self, request, pk: int):
        # No read before the service: its one locked read checks the owner too (the deadline night's path).
        payload = VersionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
            raise InvalidApplicationData(
                field_errors={"Idempotency-Key": [_("At most 255 characters.")]},
            )
        submission = services.application_submit(
            application_id=pk,
            user=request.user,
            expected_version=payload.validated_data.get("version"),
            idempotency_key=key,
        )
        if submission.replayed:
            return Response(
                SubmissionOutput(submission).data, status=status.HTTP_200_OK, headers={"Idempotent-Replayed": "true"}
            )
        return Response(SubmissionOutput(submission).data, status=status.HTTP_201_CREATED)


class ApplicationWithdrawApi(APIView):
    @extend_schema(request=None, responses=ApplicationOutput, summary="Withdraw your submitted dossier")
    def post(self, request, pk: int):
        application = access_application_for_owner(user=request.user, application_id=pk)
        application = services.application_withdraw(application=application, user=request.user)
        return Response(_output(application))


class ApplicationReceiptApi(APIView):
    @extend_schema(responses=SubmissionOutput, summary="The receipt of your latest submission")
    def get(self, request, pk: int):
        application = access_application_for_owner(user=request.user, application_id=pk)
        submission = application.submissions.first()
        if submission is None:
            return Response(
                {"detail": str(_("This dossier has not been submitted yet.")), "code": "not_submitted"},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(SubmissionOutput(submission).data)


class ReceiptPdfApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="A receipt as PDF")
    def get(self, request, submission_id: int):
        submission = access_submission(user=request.user, submission_id=submission_id)
        return receipt_response(submission, language=get_language() or "fr")


class AttachmentUploadApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": OpenApiRequest(
                inline_serializer("AttachmentUpload", {"file": serializers.FileField()}), encoding=file_types(file=PDF)
            )
        },
        responses={201: AttachmentOutput},
        summary="Attach a PDF (10 MB at most, 5 per dossier)",
    )
    def post(self, request, pk: int):
        application = access_application_for_owner(user=request.user, application_id=pk)
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidApplicationData(field_errors={"file": [_("Send the PDF in the “file” field.")]})
        attachment = services.attachment_add(application=application, user=request.user, upload=upload)
        return Response(AttachmentOutput(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDeleteApi(APIView):
    @extend_schema(request=None, responses={204: None}, summary="Remove an attachment")
    def delete(self, request, pk: int, attachment_id: int):
        application = access_application_for_owner(user=request.user, application_id=pk)
        attachment = get_object_or_404(application.attachments, pk=attachment_id, removed_at__isnull=True)
        services.attachment_remove(attachment=attachment, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

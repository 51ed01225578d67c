"""REST API of invited experts: the organisers invite and revoke; the expert declares, reads and gives an opinion.
Same services and access rules as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from convergence.applications.access import access_application_for_organiser

from . import services
from .access import access_invitation_for_expert, expert_may_read, invitations_of_expert
from .models import ExpertInvitation, Review
from .selectors import latest_content
from .services.experts import OPINION_MAX_LENGTH


class InvitationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    reference = serializers.CharField(source="application.reference")
    expert = serializers.EmailField(source="expert.email")
    state = serializers.ChoiceField(choices=ExpertInvitation.State.choices)
    request = serializers.CharField()
    invited_at = serializers.DateTimeField()
    declared_at = serializers.DateTimeField(allow_null=True)
    conflict = serializers.CharField()
    opinion = serializers.CharField()
    recommendation = serializers.CharField()
    opinion_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


class ExpertViewOutput(InvitationOutput):
    content = serializers.SerializerMethodField(help_text="the dossier as last submitted, once no conflict is declared")

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_content(self, invitation) -> dict | None:
        return latest_content(invitation.application) if expert_may_read(invitation) else None


class InviteInput(serializers.Serializer):
    email = serializers.EmailField()
    request = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class DeclarationInput(serializers.Serializer):
    conflict = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, help_text="empty: no conflict of interest"
    )


class OpinionInput(serializers.Serializer):
    opinion = serializers.CharField(max_length=OPINION_MAX_LENGTH)
    recommendation = serializers.ChoiceField(choices=[*Review.Recommendation.values, ""], required=False, default="")


def _invitations(**filters):
    return ExpertInvitation.objects.filter(**filters).select_related("application__call", "expert")


class DossierExpertsApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(responses=InvitationOutput(many=True), summary="The experts invited on a dossier (organisers)")
    def get(self, request, pk: int):
        application = access_application_for_organiser(user=request.user, application_id=pk)
        return Response(InvitationOutput(_invitations(application=application), many=True).data)

    @extend_schema(request=InviteInput, responses={201: InvitationOutput}, summary="Invite an expert (organisers)")
    def post(self, request, pk: int):
        application = access_application_for_organiser(user=request.user, application_id=pk)
        payload = InviteInput(data=request.data)
        payload.is_valid(raise_exception=True)
        invitation, _new = services.expert_invite(
            application=application,
            email=payload.validated_data["email"],
            invited_by=request.user,
            request=payload.validated_data["request"],
        )
        return Response(InvitationOutput(invitation).data, status=status.HTTP_201_CREATED)


class DossierExpertRevokeApi(APIView):
    @extend_schema(request=None, responses=InvitationOutput, summary="Revoke an expert's invitation (organisers)")
    def post(self, request, pk: int, invitation_id: int):
        application = access_application_for_organiser(user=request.user, application_id=pk)
        invitation = get_object_or_404(ExpertInvitation, pk=invitation_id, application=application)
        services.expert_revoke(invitation=invitation, user=request.user)
        invitation.refresh_from_db()
        return Response(InvitationOutput(invitation).data)


class ExpertInvitationsApi(APIView):
    @extend_schema(responses=InvitationOutput(many=True), summary="The opinions asked of you (experts)")
    def get(self, request):
        return Response(InvitationOutput(invitations_of_expert(request.user), many=True).data)


class ExpertInvitationApi(APIView):
    @extend_schema(responses=ExpertViewOutput, summary="An opinion asked of you, with the dossier once declared")
    def get(self, request, invitation_id: int):
        invitation = access_invitation_for_expert(user=request.user, invitation_id=invitation_id)
        return Response(ExpertViewOutput(invitation).data)


class ExpertDeclarationApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(request=DeclarationInput, responses=ExpertViewOutput, summary="Declare your interests (once)")
    def post(self, request, invitation_id: int):
        invitation = access_invitation_for_expert(user=request.user, invitation_id=invitation_id)
        payload = DeclarationInput(data=request.data)
        payload.is_valid(raise_exception=True)
        invitation = services.expert_declare(
            invitation=invitation, user=request.user, conflict=payload.validated_data["conflict"]
        )
        return Response(ExpertViewOutput(invitation).data)


class ExpertOpinionApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(request=OpinionInput, responses=ExpertViewOutput, summary="Give or change your opinion")
    def put(self, request, invitation_id: int):
        invitation = access_invitation_for_expert(user=request.user, invitation_id=invitation_id)
        payload = OpinionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.expert_opinion_save(invitation=invitation, user=request.user, **payload.validated_data)
        invitation.refresh_from_db()
        return Response(ExpertViewOutput(invitation).data)

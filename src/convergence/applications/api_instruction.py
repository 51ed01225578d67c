"""REST API of a dossier's instruction: the message thread (its applicant and the organisers), requests for
completion, and the organisers' notes and tags. Same services and access rules as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiRequest, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from convergence.web.api_pagination import PAGE_PARAMETERS, paged_response
from convergence.web.api_schema import PDF, file_types

from . import completion, instruction
from .access import access_application_for_organiser, access_application_for_reader
from .fields import COMPLETABLE_FIELDS
from .models import Application, CompletionRequest, InternalNote


class MessageAttachmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, attachment) -> str:
        return reverse("applications:message_attachment", kwargs={"attachment_id": attachment.pk})


class MessageOutput(serializers.Serializer):
    id = serializers.IntegerField()
    side = serializers.ChoiceField(choices=["applicant", "organisers"])
    author = serializers.SerializerMethodField(help_text="the author's e-mail; an organiser's is shown to organisers")
    body = serializers.CharField()
    sent_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True, help_text="when the other side first read it")
    attachments = MessageAttachmentOutput(many=True)

    def get_author(self, message) -> str:
        if message.side == "organisers" and not self.context.get("organiser"):
            return ""
        return message.author.email


class OrganiserMessageOutput(MessageOutput):
    shared_with_committee_at = serializers.DateTimeField(allow_null=True)


class MessageInput(serializers.Serializer):
    body = serializers.CharField(max_length=instruction.MESSAGE_MAX_LENGTH)
    file = serializers.FileField(required=False, help_text="a PDF, checked as attachments are")


def _thread_response(request, application: Application):
    organiser = instruction.side_of(request.user, application) == "organisers"
    instruction.thread_read(application=application, user=request.user)
    output = OrganiserMessageOutput if organiser else MessageOutput
    return paged_response(
        request,
        instruction.thread_of(application).order_by("sent_at", "pk"),
        lambda page: output(page, many=True, context={"organiser": organiser}).data,
    )


class MessagesApi(APIView):
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(
        responses=OrganiserMessageOutput(many=True),
        parameters=PAGE_PARAMETERS,
        summary="A dossier's messages (its applicant and the organisers); reading marks them read",
    )
    def get(self, request, pk: int):
        application = access_application_for_reader(user=request.user, application_id=pk)
        return _thread_response(request, application)

    @extend_schema(
        request={
            "multipart/form-data": OpenApiRequest(MessageInput, encoding=file_types(file=PDF)),
            "application/json": MessageInput,
        },
        responses={201: OrganiserMessageOutput},
        summary="Write to the other side of a dossier's thread (they are told by e-mail, without the text)",
    )
    def post(self, request, pk: int):
        application = access_application_for_reader(user=request.user, application_id=pk)
        payload = MessageInput(data=request.data)
        payload.is_valid(raise_exception=True)
        message = instruction.message_send(
            application=application,
            user=request.user,
            body=payload.validated_data["body"],
            upload=payload.validated_data.get("file"),
        )
        organiser = message.side == "organisers"
        output = OrganiserMessageOutput if organiser else MessageOutput
        return Response(output(message, context={"organiser": organiser}).data, status=status.HTTP_201_CREATED)


class MessageShareInput(serializers.Serializer):
    shared = serializers.BooleanField()


class MessageShareApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request=MessageShareInput,
        responses=OrganiserMessageOutput,
        summary="Share a message with the committee members who may read the dossier, or stop (organisers)",
    )
    def post(self, request, pk: int, message_id: int):
        application = access_application_for_organiser(user=request.user, application_id=pk)
        message = get_object_or_404(application.messages, pk=message_id)
        payload = MessageShareInput(data=request.data)
        payload.is_valid(raise_exception=True)
        message = instruction.message_share(message=message, user=request.user, shared=payload.validated_data["shared"])
        return Response(OrganiserMessageOutput(message, context={"organiser": True}).data)


class FieldChangeOutput(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class CompletionRequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.SerializerMethodField()
    message = serializers.CharField()
    requested_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    asked_on_version = serializers.IntegerField(source="asked_on.number", allow_null=True, default=None)
    answer_version = serializers.IntegerField(source="answer.number", allow_null=True, default=None)
    answered_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)

    def get_fields(self):
        # "fields" names a serializer's own attribute: the field of that name is added here.
        declared = super().get_fields()
        declared["fields"] = _field_names()
        return declared

    def get_state(self, request) -> str:
        return request.state_at(timezone.now())


class OrganiserCompletionRequestOutput(CompletionRequestOutput):
    changes = serializers.SerializerMethodField(help_text="what the answering version changed, field by field")

    @extend_schema(responses=FieldChangeOutput(many=True))
    def get_changes(self, request) -> list[dict]:
        if not (request.answer and request.asked_on):
            return []
        changes = completion.version_changes(request.asked_on.content, request.answer.content)
        return [{"field": change.field, "before": change.before, "after": change.after} for change in changes]


class CompletionRequestInput(serializers.Serializer):
    message = serializers.CharField(max_length=completion.MESSAGE_MAX_LENGTH)
    due_at = serializers.DateTimeField(help_text="ISO 8601 with its offset, e.g. 2024-12-10T23:59:00+01:00")

    def get_fields(self):
        declared = super().get_fields()
        declared["fields"] = _field_names(min_length=1)
        return declared


def _field_names(**options) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=COMPLETABLE_FIELDS), help_text="the dossier's fields", **options
    )


def _completion_rows(application: Application):
    return application.completion_requests.select_related("asked_on", "answer").order_by("-requested_at", "-pk")


class CompletionRequestsApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        responses=OrganiserCompletionRequestOutput(many=True),
        summary="A dossier's requests for completion (the organisers also get what each answer changed)",
    )
    def get(self, request, pk: int):
        application = access_application_for_reader(user=request.user, application_id=pk)
        organiser = instruction.side_of(request.user, application) == "organisers"
        output = OrganiserCompletionRequestOutput if organiser else CompletionRequestOutput
        return Response(output(_completion_rows(application), many=True).data)

    @extend_schema(
        request=CompletionRequestInput,
        responses={201: OrganiserCompletionRequestOutput},
        summary="Ask for named fields to be completed by a due date, after the deadline (organisers)",
    )
    def post(self, request, pk: int):
        application = access_application_for_organiser(user=request.user, application_id=pk)
        payload = CompletionRequestInput(data=request.data)
        payload.is_valid(raise_exception=True)
        asked = completion.completion_request_open(
            application=application,
            user=request.user,
            fields=payload.validated_data["fields"],
            message=payload.validated_data["message"],
            due_at=payload.validated_data["due_at"],
        )
        return Response(OrganiserCompletionRequestOutput(asked).data, status=status.HTTP_201_CREATED)


class CompletionCancelApi(APIView):
    @extend_schema(request=None, responses=OrganiserCompletionRequestOutput, summary="Cancel an open request")
    def post(self, request, pk: int, request_id: int):
        application = access_application_for_organiser(user=request.user, application_id=pk)
        asked = get_object_or_404(CompletionRequest, pk=request_id, application=application)
        asked = completion.completion_request_cancel(request=asked, user=request.user)
        return Response(OrganiserCompletionRequestOutput(asked).data)


class NoteOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.EmailField(source="author.email")
    body = serializers.CharField()
    audience = serializers.ChoiceField(choices=InternalNote.Audience.choices)
    created_at = serializers.DateTimeField()


class NoteInput(serializers.Serializer):
    body = serializers.CharField(max_length=instruction.NOTE_MAX_LENGTH)
    audience = serializers.ChoiceField(choices=InternalNote.Audience.choices, default="organisers")


class NotesApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(responses=NoteOutput(many=True), summary="The organisers' internal notes on a dossier")
    def get(self, request, pk: int):
        application = access_application_for_organiser(user=request.user, application_id=pk)
        return Response(NoteOutput(instruction.notes_for_organisers(application), many=True).data)

    @extend_schema(request=NoteInput, responses={201: NoteOutput}, summary="Add an internal note (organisers)")
    def post(self, request, pk: int):
        application = access_application_for_organiser(user=request.user, application_id=pk)
        payload = NoteInput(data=request.data)
        payload.is_valid(raise_exception=True)
        note = instruction.note_add(application=application, user=request.user, **payload.validated_data)
        return Response(NoteOutput(note).data, status=status.HTTP_201_CREATED)


class NoteApi(APIView):
    @extend_schema(request=None, responses={204: None}, summary="Remove an internal note (organisers)")
    def delete(self, request, pk: int, note_id: int):
        application = access_application_for_organiser(user=request.user, application_id=pk)
        note = get_object_or_404(application.internal_notes, pk=note_id, removed_at__isnull=True)
        instruction.note_remove(note=note, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TagsSerializer(serializers.Serializer):
    tags = serializers.ListField(child=serializers.CharField(max_length=200, allow_blank=True), max_length=50)


class TagsApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(responses=TagsSerializer, summary="A dossier's tags (organisers)")
    def get(self, request, pk: int):
        application = access_application_for_organiser(user=request.user, application_id=pk)
        return Response({"tags": instruction.tags_of(application)})

    @extend_schema(request=TagsSerializer, responses=TagsSerializer, summary="Set a dossier's tags (organisers)")
    def put(self, request, pk: int):
        application = access_application_for_organiser(user=request.user, application_id=pk)
        payload = TagsSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        tags = instruction.tags_set(application=application, user=request.user, labels=payload.validated_data["tags"])
        return Response({"tags": tags})

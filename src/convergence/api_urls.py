from django.urls import include, path

from convergence.accounts.api import ObtainTokenApi
from convergence.applications import api as applications
from convergence.applications import api_instruction as instruction
from convergence.calls.api import CallDetailApi, CallListApi

app_name = "api"

urlpatterns = [
    path("auth/token/", ObtainTokenApi.as_view(), name="token"),
    path("calls/", CallListApi.as_view(), name="calls"),
    path("calls/<slug:slug>/", CallDetailApi.as_view(), name="call"),
    path("applications/", applications.ApplicationListApi.as_view(), name="applications"),
    path("applications/<int:pk>/", applications.ApplicationDetailApi.as_view(), name="application"),
    path("applications/<int:pk>/submit/", applications.ApplicationSubmitApi.as_view(), name="application-submit"),
    path("applications/<int:pk>/withdraw/", applications.ApplicationWithdrawApi.as_view(), name="application-withdraw"),
    path("applications/<int:pk>/receipt/", applications.ApplicationReceiptApi.as_view(), name="application-receipt"),
    path("applications/<int:pk>/attachments/", applications.AttachmentUploadApi.as_view(), name="attachments"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_id>/",
        applications.AttachmentDeleteApi.as_view(),
        name="attachment",
    ),
    path("applications/<int:pk>/messages/", instruction.MessagesApi.as_view(), name="messages"),
    path(
        "applications/<int:pk>/messages/<int:message_id>/share/",
        instruction.MessageShareApi.as_view(),
        name="message-share",
    ),
    path(
        "applications/<int:pk>/completion-requests/",
        instruction.CompletionRequestsApi.as_view(),
        name="completion-requests",
    ),
    path(
        "applications/<int:pk>/completion-requests/<int:request_id>/cancel/",
        instruction.CompletionCancelApi.as_view(),
        name="completion-cancel",
    ),
    path("applications/<int:pk>/notes/", instruction.NotesApi.as_view(), name="notes"),
    path("applications/<int:pk>/notes/<int:note_id>/", instruction.NoteApi.as_view(), name="note"),
    path("applications/<int:pk>/tags/", instruction.TagsApi.as_view(), name="tags"),
    path("receipts/<int:submission_id>/pdf/", applications.ReceiptPdfApi.as_view(), name="receipt-pdf"),
    path("", include("convergence.review.api_urls")),
    path("", include("convergence.labels.api_urls")),
    path("", include("convergence.execution.api_urls")),
    path("", include("convergence.competitions.api_urls")),
    path("", include("convergence.insights.api_urls")),
]

from django.urls import path, re_path

from . import views, views_instruction, views_organiser

app_name = "applications"

urlpatterns = [
    path("dossiers/", views.my_applications, name="mine"),
    path("calls/<slug:slug>/apply/", views.application_create, name="create"),
    path("dossiers/<int:pk>/", views.application_detail, name="detail"),
    path("dossiers/<int:pk>/edit/<slug:step>/", views.application_step, name="step"),
    path("dossiers/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("dossiers/<int:pk>/delete/", views.draft_delete, name="delete"),
    path("dossiers/<int:pk>/versions/<int:number>/", views.submission_detail, name="submission"),
    path("dossiers/<int:pk>/versions/<int:number>.pdf", views.submission_pdf, name="submission_pdf"),
    path(
        "dossiers/<int:pk>/attachments/<int:attachment_id>/remove/", views.attachment_remove, name="attachment_remove"
    ),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("receipts/<int:submission_id>.pdf", views.receipt_download, name="receipt"),
    path("backoffice/", views_organiser.backoffice_home, name="backoffice_home"),
    path("backoffice/calls/<slug:slug>/", views_organiser.backoffice_list, name="backoffice"),
    re_path(
        r"^backoffice/calls/(?P<slug>[-\w]+)/export\.(?P<extension>csv|xlsx)$",
        views_organiser.backoffice_export,
        name="backoffice_export",
    ),
    path("backoffice/dossiers/<int:pk>/", views_organiser.backoffice_detail, name="backoffice_detail"),
    path("dossiers/<int:pk>/messages/", views_instruction.message_post, name="messages"),
    path("messages/attachments/<int:attachment_id>/", views_instruction.message_attachment, name="message_attachment"),
    path(
        "backoffice/dossiers/<int:pk>/messages/<int:message_id>/share/",
        views_instruction.message_share,
        name="message_share",
    ),
    path("backoffice/dossiers/<int:pk>/completion/", views_instruction.completion_create, name="completion_create"),
    path(
        "backoffice/dossiers/<int:pk>/completion/<int:request_id>/cancel/",
        views_instruction.completion_cancel,
        name="completion_cancel",
    ),
    path("backoffice/dossiers/<int:pk>/notes/", views_instruction.note_add, name="note_add"),
    path("backoffice/dossiers/<int:pk>/notes/<int:note_id>/remove/", views_instruction.note_remove, name="note_remove"),
    path("backoffice/dossiers/<int:pk>/tags/", views_instruction.tags_update, name="tags"),
]

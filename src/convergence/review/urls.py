from django.urls import path, re_path

from . import views, views_experts, views_organiser

app_name = "review"

urlpatterns = [
    path("committee/", views.committee_home, name="home"),
    path("expertises/", views_experts.expert_home, name="expert_home"),
    path("expertises/<int:invitation_id>/", views_experts.expert_page, name="expert"),
    path(
        "expertises/<int:invitation_id>/attachments/<int:attachment_id>/",
        views_experts.expert_attachment,
        name="expert_attachment",
    ),
    path(
        "committee/dossiers/<int:pk>/attachments/<int:attachment_id>/",
        views_experts.member_attachment,
        name="member_attachment",
    ),
    path("committee/shared-files/<int:attachment_id>/", views_experts.shared_attachment, name="shared_attachment"),
    path("selection/dossiers/<int:pk>/experts/", views_experts.expert_invite, name="expert_invite"),
    path(
        "selection/dossiers/<int:pk>/experts/<int:invitation_id>/revoke/",
        views_experts.expert_revoke,
        name="expert_revoke",
    ),
    path("committee/<slug:slug>/profile/", views.member_profile, name="profile"),
    path("committee/<slug:slug>/conflicts/", views.member_conflicts, name="conflicts"),
    path("committee/dossiers/<int:pk>/", views.member_dossier, name="dossier"),
    path("committee/dossiers/<int:pk>/conflict/", views.conflict_declare_for_dossier, name="dossier_conflict"),
    path("committee/assignments/<int:assignment_id>/review/", views.review_edit, name="review"),
    path("selection/<slug:slug>/", views_organiser.selection_dashboard, name="selection"),
    path("selection/<slug:slug>/eligibility/", views_organiser.eligibility_list, name="eligibility"),
    path("selection/<slug:slug>/eligibility/run/", views_organiser.eligibility_run, name="eligibility_run"),
    path("selection/<slug:slug>/assignments/", views_organiser.assignment_list, name="assignments"),
    path("selection/<slug:slug>/assignments/run/", views_organiser.assignment_run, name="assignment_run"),
    path("selection/<slug:slug>/affinity/<int:pk>/", views_organiser.affinity_edit, name="affinity"),
    path("selection/<slug:slug>/meeting/", views_organiser.meeting, name="meeting"),
    path("selection/<slug:slug>/lock/", views_organiser.reviews_lock, name="lock"),
    path("selection/<slug:slug>/publish/", views_organiser.decisions_publish, name="publish"),
    path("selection/<slug:slug>/audit/", views_organiser.selection_audit, name="audit"),
    re_path(
        r"^selection/(?P<slug>[-\w]+)/export/(?P<what>reviews|decisions)\.(?P<extension>csv|xlsx)$",
        views_organiser.selection_export,
        name="export",
    ),
]

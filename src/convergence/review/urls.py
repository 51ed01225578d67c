from django.urls import path, re_path

from . import organiser, views

app_name = "review"

urlpatterns = [
    path("committee/", views.committee_home, name="home"),
    path("committee/<slug:slug>/profile/", views.member_profile, name="profile"),
    path("committee/<slug:slug>/conflicts/", views.member_conflicts, name="conflicts"),
    path("committee/dossiers/<int:pk>/", views.member_dossier, name="dossier"),
    path("committee/dossiers/<int:pk>/conflict/", views.conflict_declare_for_dossier, name="dossier_conflict"),
    path("committee/assignments/<int:assignment_id>/review/", views.review_edit, name="review"),
    path("selection/<slug:slug>/", organiser.selection_dashboard, name="selection"),
    path("selection/<slug:slug>/eligibility/", organiser.eligibility_list, name="eligibility"),
    path("selection/<slug:slug>/eligibility/run/", organiser.eligibility_run, name="eligibility_run"),
    path("selection/<slug:slug>/assignments/", organiser.assignment_list, name="assignments"),
    path("selection/<slug:slug>/assignments/run/", organiser.assignment_run, name="assignment_run"),
    path("selection/<slug:slug>/affinity/<int:pk>/", organiser.affinity_edit, name="affinity"),
    path("selection/<slug:slug>/meeting/", organiser.meeting, name="meeting"),
    path("selection/<slug:slug>/lock/", organiser.reviews_lock, name="lock"),
    path("selection/<slug:slug>/publish/", organiser.decisions_publish, name="publish"),
    path("selection/<slug:slug>/audit/", organiser.selection_audit, name="audit"),
    re_path(
        r"^selection/(?P<slug>[-\w]+)/export/(?P<what>reviews|decisions)\.(?P<extension>csv|xlsx)$",
        organiser.selection_export,
        name="export",
    ),
]

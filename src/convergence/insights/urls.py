from django.urls import path, re_path

from . import views

app_name = "insights"
urlpatterns = [
    path("backoffice/calls/<slug:slug>/insights/", views.dashboard, name="dashboard"),
    re_path(r"^backoffice/calls/(?P<slug>[-\w]+)/insights/(?P<key>\w+)\.csv$", views.dashboard_csv, name="csv"),
    re_path(
        r"^backoffice/calls/(?P<slug>[-\w]+)/insights/(?P<key>\w+)\.(?P<fmt>svg|png)$",
        views.dashboard_chart,
        name="chart",
    ),
    path("backoffice/calls/<slug:slug>/insights/remind-drafts/", views.remind_drafts, name="remind_drafts"),
    path("backoffice/calls/<slug:slug>/insights/remind-reviewers/", views.remind_reviewers, name="remind_reviewers"),
    path("backoffice/calls/<slug:slug>/triage/", views.triage, name="triage"),
    path("backoffice/calls/<slug:slug>/triage/duplicates/", views.duplicates_fragment, name="duplicates_fragment"),
    path("insights/dossiers/<int:pk>/similar/", views.similar_to_dossier, name="similar_dossier"),
    path(
        "insights/dossiers/<int:pk>/theme-suggestions/",
        views.theme_suggestions_for_applicant,
        name="theme_suggestions",
    ),
    path("statistics/", views.statistics, name="statistics"),
    re_path(r"^statistics/(?P<key>\w+)\.(?P<fmt>svg|png)$", views.statistics_chart, name="statistics_chart"),
    re_path(r"^statistics/(?P<key>\w+)\.csv$", views.statistics_csv, name="statistics_csv"),
]

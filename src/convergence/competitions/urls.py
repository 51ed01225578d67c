from django.urls import path

from . import views, views_host

app_name = "competitions"

urlpatterns = [
    path("competitions/", views.competition_list, name="list"),
    path("competitions/new/", views_host.competition_new, name="new"),
    path("competitions/files/<int:pk>/", views.public_file_download, name="file"),
    path("competitions/submissions/<int:pk>/", views.submission_status, name="submission"),
    path("competitions/submissions/<int:pk>/select/", views.submission_select, name="select"),
    path("competitions/submissions/<int:pk>/detailed-results/", views.detailed_results, name="detailed_results"),
    path("competitions/submissions/<int:pk>/predictions.csv", views.submission_file, name="submission_file"),
    path("competitions/<slug:slug>/", views.competition_detail, name="detail"),
    path("competitions/<slug:slug>/join/", views.competition_join, name="join"),
    path("competitions/<slug:slug>/team/", views.team_change, name="team"),
    path("competitions/<slug:slug>/display-name/", views.display_name_change, name="display_name"),
    path("competitions/<slug:slug>/host/", views_host.competition_host, name="host"),
    path("competitions/<slug:slug>/bundle.zip", views_host.bundle_download, name="bundle"),
    path("competitions/<slug:slug>/logo.png", views.logo, name="logo"),
    path("competitions/<slug:slug>/logo/", views_host.logo_set, name="logo_set"),
    path("competitions/<slug:slug>/participants/<int:pk>/", views_host.participant_decide, name="decide"),
    path("competitions/<slug:slug>/<slug:phase>/submit/", views.submission_create, name="submit"),
    path("competitions/<slug:slug>/<slug:phase>/ground-truth/", views_host.ground_truth_upload, name="ground_truth"),
    path(
        "competitions/<slug:slug>/<slug:phase>/scoring-program/",
        views_host.scoring_program_upload,
        name="scoring_program",
    ),
    path("competitions/<slug:slug>/<slug:phase>/columns/", views_host.columns_set, name="columns"),
    path("competitions/<slug:slug>/<slug:phase>/solutions/", views_host.solution_add, name="solutions"),
    path("competitions/<slug:slug>/<slug:phase>/leaderboard.csv", views.leaderboard_csv, name="leaderboard_csv"),
]

from django.urls import path

from . import api

urlpatterns = [
    path("competitions/", api.CompetitionListApi.as_view(), name="competitions"),
    path("competitions/import/", api.BundleImportApi.as_view(), name="competition-import"),
    path(
        "competitions/submissions/<int:submission_id>/",
        api.SubmissionDetailApi.as_view(),
        name="competition-submission",
    ),
    path("competitions/<slug:slug>/", api.CompetitionDetailApi.as_view(), name="competition"),
    path("competitions/<slug:slug>/join/", api.CompetitionJoinApi.as_view(), name="competition-join"),
    path("competitions/<slug:slug>/logo/", api.LogoApi.as_view(), name="competition-logo"),
    path("competitions/<slug:slug>/team/", api.MyTeamApi.as_view(), name="competition-team"),
    path("competitions/<slug:slug>/display-name/", api.MyDisplayNameApi.as_view(), name="competition-display-name"),
    path("competitions/<slug:slug>/submissions/", api.MySubmissionsApi.as_view(), name="competition-submissions"),
    path(
        "competitions/<slug:slug>/phases/<slug:phase>/submissions/",
        api.SubmissionCreateApi.as_view(),
        name="competition-submit",
    ),
    path(
        "competitions/<slug:slug>/phases/<slug:phase>/scoring-program/",
        api.ScoringProgramApi.as_view(),
        name="competition-scoring-program",
    ),
    path(
        "competitions/<slug:slug>/phases/<slug:phase>/columns/",
        api.ColumnsApi.as_view(),
        name="competition-columns",
    ),
    path(
        "competitions/<slug:slug>/phases/<slug:phase>/solutions/",
        api.SolutionsApi.as_view(),
        name="competition-solutions",
    ),
    path(
        "competitions/<slug:slug>/phases/<slug:phase>/leaderboard/",
        api.LeaderboardApi.as_view(),
        name="competition-leaderboard",
    ),
]

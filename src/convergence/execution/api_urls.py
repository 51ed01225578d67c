from django.urls import path

from convergence.labels import converters  # noqa: F401  (registers <label_id:>)

from . import api

urlpatterns = [
    path("labels/<label_id:identifier>/reports/", api.LabelReportsApi.as_view(), name="label-reports"),
    path("labels/<label_id:identifier>/reports/<slug:milestone>/", api.LabelReportApi.as_view(), name="label-report"),
    path("reports/<int:report_id>/comments/", api.ReportCommentsApi.as_view(), name="report-comments"),
    path("follow-up/<slug:slug>/", api.FollowUpApi.as_view(), name="follow-up"),
    path("programme/", api.ProgrammeApi.as_view(), name="programme"),
]

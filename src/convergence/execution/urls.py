from django.urls import path

from convergence.labels import converters  # noqa: F401  (registers <label_id:>)

from . import views, views_programme

app_name = "execution"


urlpatterns = [
    path("label/<label_id:identifier>/reports/<slug:milestone>/", views.report_edit, name="report"),
    path("follow-up/<slug:slug>/", views.follow_up, name="follow_up"),
    path("follow-up/reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("follow-up/reports/<int:pk>/publish/", views.results_publish, name="results_publish"),
    path("catalogue/<label_id:identifier>/results/", views.results_public, name="results"),
    path("programme/", views_programme.programme_public, name="programme"),
    path("programme.ics", views_programme.programme_ics, name="programme_ics"),
    path("programme.pdf", views_programme.programme_pdf, name="programme_pdf"),
    path("programme/manage/<slug:slug>/", views_programme.programme_manage, name="programme_manage"),
    path("programme/slots/<int:pk>/remove/", views_programme.slot_remove, name="slot_remove"),
]

from django.urls import path

from convergence.labels import converters  # noqa: F401 (registers label_id)

from . import api

urlpatterns = [
    path("calls/<slug:slug>/insights/", api.CallInsightsApi.as_view(), name="api-call-insights"),
    path("calls/<slug:slug>/triage/duplicates/", api.DuplicatesApi.as_view(), name="call-duplicates"),
    path("calls/<slug:slug>/triage/themes/", api.ThemeReviewApi.as_view(), name="call-theme-review"),
    path("applications/<int:application_id>/similar/", api.SimilarToDossierApi.as_view(), name="application-similar"),
    path("catalogue-search/", api.SemanticSearchApi.as_view(), name="catalogue-semantic-search"),
    path("catalogue/<label_id:identifier>/similar/", api.SimilarInCatalogueApi.as_view(), name="catalogue-similar"),
]

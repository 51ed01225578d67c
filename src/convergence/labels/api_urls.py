from django.urls import path

from convergence.labels import converters  # noqa: F401  (registers <label_id:>)

from . import api

urlpatterns = [
    path("labels/", api.LabelListApi.as_view(), name="labels"),
    path("labels/award/", api.LabelAwardApi.as_view(), name="label-award"),
    path("labels/<label_id:identifier>/", api.LabelDetailApi.as_view(), name="label"),
    path("labels/<str:identifier>/verify/", api.LabelVerifyApi.as_view(), name="label-verify"),
    path("labels/<label_id:identifier>/revoke/", api.LabelRevokeApi.as_view(), name="label-revoke"),
    path("labels/<label_id:identifier>/certificate/", api.LabelCertificateApi.as_view(), name="label-certificate"),
    path("kit/<int:kit_file_id>/download/", api.KitDownloadApi.as_view(), name="kit-download"),
    path("catalogue/", api.CatalogueApi.as_view(), name="catalogue"),
    path("catalogue/<label_id:identifier>/", api.CatalogueEntryApi.as_view(), name="catalogue-entry"),
]

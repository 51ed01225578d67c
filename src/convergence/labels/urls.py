from django.urls import path

from convergence.labels import converters  # noqa: F401  (registers <label_id:>)

from . import views, views_catalogue

app_name = "labels"


urlpatterns = [
    path("labels/manage/<slug:slug>/", views.labels_manage, name="manage"),
    path("labels/manage/<slug:slug>/award/", views.labels_award, name="award"),
    path("labels/kit/<int:pk>/remove/", views.kit_file_remove, name="kit_remove"),
    path("labels/kit/<int:pk>/download/", views.kit_download, name="kit_download"),
    path("labels/public-key.pem", views.public_key, name="public_key"),
    path("labels/public-keys/<slug:key_id>.pem", views.public_key_by_id, name="public_key_by_id"),
    path("label/<label_id:identifier>/", views.label_mine, name="mine"),
    path("label/<label_id:identifier>/manage/", views.label_admin, name="admin"),
    path("label/<label_id:identifier>/certificate.pdf", views.certificate_download, name="certificate"),
    path("label/<label_id:identifier>/label.json", views.label_document, name="document"),
    path("verify/<label_id:identifier>/", views.verify, name="verify"),
    path("catalogue/", views_catalogue.catalogue_list, name="catalogue"),
    path("catalogue/<label_id:identifier>/", views_catalogue.catalogue_detail, name="catalogue_detail"),
    path("open-data/", views_catalogue.open_data_home, name="open_data"),
    path("open-data/challenges.json", views_catalogue.open_data_json, name="open_data_json"),
    path("open-data/challenges.csv", views_catalogue.open_data_csv_view, name="open_data_csv"),
    path("open-data/schema.json", views_catalogue.open_data_schema, name="open_data_schema"),
]

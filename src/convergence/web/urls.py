from django.urls import path

from convergence.web import views

urlpatterns = [
    path("site-map/", views.site_map, name="site_map"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("legal-notice/", views.legal_notice, name="legal_notice"),
    path("personal-data/", views.personal_data, name="personal_data"),
]

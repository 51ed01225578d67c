from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from convergence.calls.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("convergence.calls.urls")),
    path("", include("convergence.applications.urls")),
    path("", include("convergence.review.urls")),
    path("", include("convergence.labels.urls")),
    path("", include("convergence.execution.urls")),
    path("", include("convergence.competitions.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("convergence.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

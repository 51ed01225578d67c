from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from convergence.calls.views import home
from convergence.web.views import ApiDocsView

urlpatterns = [
    path("", home, name="home"),
    path("", include("convergence.calls.urls")),
    path("", include("convergence.applications.urls")),
    path("", include("convergence.review.urls")),
    path("", include("convergence.labels.urls")),
    path("", include("convergence.execution.urls")),
    path("", include("convergence.competitions.urls")),
    path("", include("convergence.insights.urls")),
    path("", include("convergence.web.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("convergence.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="schema"), name="api-docs"),
]

handler403 = "convergence.web.views.permission_denied"
handler404 = "convergence.web.views.page_not_found"
handler500 = "convergence.web.views.server_error"

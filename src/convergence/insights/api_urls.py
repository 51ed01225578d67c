from django.urls import path

from . import api

urlpatterns = [
    path("calls/<slug:slug>/insights/", api.CallInsightsApi.as_view(), name="api-call-insights"),
]
